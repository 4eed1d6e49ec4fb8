using System.Formats.Tar;
using EdgeLlm.Updates.Releases;

namespace EdgeLlm.Updates.Tests.Releases;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReleaseArchiveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-release-").FullName;

    [Fact]
    public async Task AReleaseUnpacksWithItsFoldersAndTheExecutableBitOnly()
    {
        var archive = Write(
            (TarEntryType.RegularFile, "edgellm", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite),
            (TarEntryType.Directory, "runtimes/linux-x64/native", UnixFileMode.UserRead),
            (TarEntryType.RegularFile, "runtimes/linux-x64/native/libllama.so", UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var target = Path.Combine(_folder, "release");

        var refused = await ReleaseArchive.ExtractAsync(archive, target, CancellationToken.None);

        Assert.Null(refused);
        Assert.Equal("content of edgellm", File.ReadAllText(Path.Combine(target, "edgellm")));
        Assert.True(File.GetUnixFileMode(Path.Combine(target, "edgellm")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(target, "edgellm")).HasFlag(UnixFileMode.OtherWrite));
        Assert.True(File.Exists(Path.Combine(target, "runtimes", "linux-x64", "native", "libllama.so")));
    }

    [Theory]
    [InlineData(TarEntryType.RegularFile, "../escape")]
    [InlineData(TarEntryType.RegularFile, "lib/../../escape")]
    [InlineData(TarEntryType.RegularFile, "/etc/escape")]
    [InlineData(TarEntryType.SymbolicLink, "link")]
    [InlineData(TarEntryType.CharacterDevice, "device")]
    public async Task AHostileEntryRefusesTheWholeReleaseAndLeavesNothing(TarEntryType type, string name)
    {
        var archive = Write((TarEntryType.RegularFile, "edgellm", UnixFileMode.UserRead | UnixFileMode.UserExecute), (type, name, UnixFileMode.UserRead));
        var target = Path.Combine(_folder, "release");

        var refused = await ReleaseArchive.ExtractAsync(archive, target, CancellationToken.None);

        Assert.NotNull(refused);
        Assert.False(Directory.Exists(target));
        Assert.False(File.Exists(Path.Combine(_folder, "escape")));
    }

    [Fact]
    public async Task AReleaseWithoutTheDaemonExecutableIsRefused()
    {
        var archive = Write((TarEntryType.RegularFile, "README", UnixFileMode.UserRead));

        Assert.Contains("edgellm", await ReleaseArchive.ExtractAsync(archive, Path.Combine(_folder, "release"), CancellationToken.None), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(params (TarEntryType Type, string Name, UnixFileMode Mode)[] entries)
    {
        var path = Path.Combine(_folder, $"edgellm-{Guid.NewGuid():N}.tar");
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Pax);
        foreach (var (type, name, mode) in entries)
        {
            var entry = new PaxTarEntry(type, name) { Mode = mode };
            if (type == TarEntryType.RegularFile)
            {
                entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("content of " + name));
            }
            else if (type == TarEntryType.SymbolicLink)
            {
                entry.LinkName = "/etc/passwd";
            }

            writer.WriteEntry(entry);
        }

        return path;
    }
}
