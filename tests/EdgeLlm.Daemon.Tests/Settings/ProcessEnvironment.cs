namespace EdgeLlm.Daemon.Tests.Settings;

/// <summary>
/// Tests that set an environment variable of this process (an <c>EDGELLM__</c> setting, <c>CREDENTIALS_DIRECTORY</c>)
/// run alone: every other test that reads the settings would see it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "process environment";
}
