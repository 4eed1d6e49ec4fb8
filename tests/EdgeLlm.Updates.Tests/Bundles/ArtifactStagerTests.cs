using System.Security.Cryptography;
using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Updates.Tests.Bundles;

public sealed class ArtifactStagerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-staging-").FullName;
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(3 << 20);

    [Fact]
    public async Task AMatchingArtifactAppearsUnderItsName()
    {
        var destination = Path.Combine(_folder, "model.gguf");

        var refused = await ArtifactStager.CopyAsync(new MemoryStream(_payload), Artifact(), destination, CancellationToken.None);

        Assert.Null(refused);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(destination));
        Assert.Single(Directory.EnumerateFiles(_folder));
    }

    [Fact]
    public async Task ASourceSendingMoreThanSignedIsCutOffAndLeavesNothing()
    {
        var refused = await ArtifactStager.CopyAsync(new EndlessStream(), Artifact(), Path.Combine(_folder, "model.gguf"), CancellationToken.None);

        Assert.Equal(BundleErrors.ArtifactTooLarge, refused?.Code);
        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    [Fact]
    public async Task AShortOrAlteredArtifactIsRefusedAndLeavesNothing()
    {
        var altered = (byte[])_payload.Clone();
        altered[12345] ^= 0x40;

        var shorter = await ArtifactStager.CopyAsync(new MemoryStream(_payload[..^1]), Artifact(), Path.Combine(_folder, "a"), CancellationToken.None);
        var changed = await ArtifactStager.CopyAsync(new MemoryStream(altered), Artifact(), Path.Combine(_folder, "b"), CancellationToken.None);

        Assert.Equal(BundleErrors.ArtifactSizeMismatch, shorter?.Code);
        Assert.Equal(BundleErrors.ArtifactHashMismatch, changed?.Code);
        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private BundleArtifact Artifact() => new("model", "model.gguf", _payload.Length, Convert.ToHexStringLower(SHA256.HashData(_payload)));

    /// <summary>A source that never ends, as a hostile update server would send.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)7, offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
