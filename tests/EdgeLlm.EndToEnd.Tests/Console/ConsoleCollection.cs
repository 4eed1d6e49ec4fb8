namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// The console's browser tests share one browser and one daemon (starting either per test would cost most of the
/// run); each test opens its own browser context, so cookies and storage never cross between tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<HeadlessChromium>, ICollectionFixture<ConsoleDaemon>
{
    public const string Name = "Console in a browser";
}
