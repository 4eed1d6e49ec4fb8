namespace EdgeLlm.Retrieval.Tests.Fixtures;

/// <summary>One fixture as an upload: the name and content type a client would send, and the bytes.</summary>
internal sealed record FixtureDocument(string FileName, string ContentType, byte[] Content);

/// <summary>The realistic documents in this folder (see README.md for the facts each one holds).</summary>
internal static class FixtureDocuments
{
    public static FixtureDocument MaintenanceManual => FromFile("press-maintenance-manual.md", "text/markdown");

    public static FixtureDocument LockoutInstruction => FromFile("conveyor-lockout-instruction.html", "text/html");

    public static FixtureDocument FirmwareChangelog => FromFile("gateway-firmware-changelog.txt", "text/plain");

    public static FixtureDocument LeavePolicy => new(
        LeavePolicyDocument.FileName,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        LeavePolicyDocument.Build());

    public static IReadOnlyList<FixtureDocument> All => [MaintenanceManual, LockoutInstruction, FirmwareChangelog, LeavePolicy];

    private static FixtureDocument FromFile(string fileName, string contentType) =>
        new(fileName, contentType, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName)));
}
