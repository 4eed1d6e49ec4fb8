using System.Formats.Tar;
using EdgeLlm.Storage;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;
using EdgeLlm.Updates.Signing;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>Bundles as one .tar: a signed one is staged artifact by artifact; hostile entries are refused and nothing is staged.</summary>
public sealed class BundleArchiveTests : IDisposable
{
    private readonly Minisign _minisign = new();
    private readonly string _bundle;
    private readonly string _staging;
    private readonly MinisignVerifier _signatures;

    public BundleArchiveTests()
    {
        var key = _minisign.CreateKey("publisher");
        _signatures = new MinisignVerifier(TrustedKeyRing.Load(Path.GetDirectoryName(key)!), false);
        _bundle = SignedBundle.Create(_minisign, "publisher", 3, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        _staging = Path.Combine(_minisign.Folder, "staging");
    }

    [Fact]
    public async Task ASignedArchiveIsStagedWithItsArtifactsVerified()
    {
        var archive = Tar(entries => { });

        var check = await StageAsync(archive);

        Assert.IsType<BundleCheck.Accepted>(check);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle, "model.gguf")), File.ReadAllBytes(Path.Combine(_staging, "model.gguf")));
    }

    [Theory]
    [InlineData("../model.gguf")]
    [InlineData("/etc/cron.d/model")]
    [InlineData("dir/model.gguf")]
    [InlineData("symlink")]
    [InlineData("hardlink")]
    [InlineData("device")]
    [InlineData("fifo")]
    [InlineData("directory")]
    public async Task AHostileEntryIsRefusedAndNothingIsStaged(string shape)
    {
        var archive = Tar(writer =>
        {
            TarEntry entry = shape switch
            {
                "symlink" => new PaxTarEntry(TarEntryType.SymbolicLink, "extra") { LinkName = "/etc/passwd" },
                "hardlink" => new PaxTarEntry(TarEntryType.HardLink, "extra") { LinkName = "model.gguf" },
                "device" => new PaxTarEntry(TarEntryType.CharacterDevice, "extra") { DeviceMajor = 1, DeviceMinor = 3 },
                "fifo" => new PaxTarEntry(TarEntryType.Fifo, "extra"),
                "directory" => new PaxTarEntry(TarEntryType.Directory, "extra/"),
                _ => new PaxTarEntry(TarEntryType.RegularFile, shape) { DataStream = new MemoryStream([1, 2, 3]) },
            };
            writer.WriteEntry(entry);
        });

        var check = await StageAsync(archive);

        Assert.Equal(BundleErrors.HostileEntry, Assert.IsType<BundleCheck.Refused>(check).Code);
        Assert.False(Directory.Exists(_staging) && Directory.EnumerateFileSystemEntries(_staging).Any());
    }

    [Fact]
    public async Task AnUnlistedPlainFileIsRefusedBeforeAnythingIsStaged()
    {
        var archive = Tar(writer => writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "run.sh") { DataStream = new MemoryStream("echo hi"u8.ToArray()) }));

        var check = await StageAsync(archive);

        Assert.Equal(BundleErrors.UnlistedFile, Assert.IsType<BundleCheck.Refused>(check).Code);
        Assert.False(Directory.Exists(_staging));
    }

    [Fact]
    public async Task AnArtifactAlteredInsideTheArchiveIsRefusedAtStaging()
    {
        var model = Path.Combine(_bundle, "model.gguf");
        var bytes = File.ReadAllBytes(model);
        bytes[100] ^= 1;
        File.WriteAllBytes(model, bytes);

        var check = await StageAsync(Tar(entries => { }));

        Assert.Equal(BundleErrors.ArtifactHashMismatch, Assert.IsType<BundleCheck.Refused>(check).Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_staging));
    }

    [Fact]
    public async Task GarbageInsteadOfATarIsRefused()
    {
        var archive = Path.Combine(_minisign.Folder, "garbage.tar");
        File.WriteAllBytes(archive, System.Security.Cryptography.RandomNumberGenerator.GetBytes(2048));

        var check = await StageAsync(archive);

        Assert.IsType<BundleCheck.Refused>(check);
    }

    public void Dispose() => _minisign.Dispose();

    private async Task<BundleCheck> StageAsync(string archive)
    {
        using var database = new StateDatabase(Path.Combine(_minisign.Folder, "state.db"));
        var state = new UpdateStateStore(database, TimeProvider.System);
        return await new BundleArchive(new BundleVerifier(_signatures, state, "default")).StageAsync(archive, _staging, CancellationToken.None);
    }

    /// <summary>The signed bundle folder as a tar, with extra entries written after its files.</summary>
    private string Tar(Action<TarWriter> extra)
    {
        var path = Path.Combine(_minisign.Folder, $"bundle-{Guid.NewGuid():N}.tar");
        using (var stream = File.Create(path))
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var file in Directory.EnumerateFiles(_bundle).Order(StringComparer.Ordinal))
            {
                writer.WriteEntry(file, Path.GetFileName(file));
            }

            extra(writer);
        }

        return path;
    }
}
