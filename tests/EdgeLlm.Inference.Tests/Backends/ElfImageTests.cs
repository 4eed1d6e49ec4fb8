using EdgeLlm.Inference.Backends;
using System.Runtime.InteropServices;

namespace EdgeLlm.Inference.Tests.Backends;

public sealed class ElfImageTests
{
    [Fact]
    public void ReadsTheSonameNeededLibrariesAndRunpathOfAShippedNativeLibrary()
    {
        var image = ElfImage.TryRead(Path.Combine(NativeDirectory(), "libggml.so"), out var error);

        Assert.Null(error);
        Assert.NotNull(image);
        Assert.Equal("libggml.so", image.Soname);
        Assert.Contains("libggml-base.so", image.Needed);
        Assert.Contains("libc.so.6", image.Needed);
        Assert.Contains("$ORIGIN", image.SearchPaths);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(63)]
    [InlineData(200)]
    [InlineData(4096)]
    public void ATruncatedImageIsRefusedWithAReason(int keep)
    {
        var bytes = File.ReadAllBytes(Path.Combine(NativeDirectory(), "libggml.so"))[..keep];
        var path = Path.Combine(Path.GetTempPath(), $"edgellm-elf-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(path, bytes);
        try
        {
            Assert.Null(ElfImage.TryRead(path, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A32BitImageIsRefused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(NativeDirectory(), "libggml.so"));
        bytes[4] = 1;
        var path = Path.Combine(Path.GetTempPath(), $"edgellm-elf-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(path, bytes);
        try
        {
            Assert.Null(ElfImage.TryRead(path, out var error));
            Assert.Contains("64-bit", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnImageForAnotherMachineIsRefused()
    {
        var other = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? "linux-arm64" : "linux-x64";
        var foreign = Directory.EnumerateFiles(AppContext.BaseDirectory, "libggml.so", SearchOption.AllDirectories).First(p => p.Contains(other, StringComparison.Ordinal));

        Assert.Null(ElfImage.TryRead(foreign, out var error));
        Assert.Contains("not this machine", error, StringComparison.Ordinal);
    }

    /// <summary>LLamaSharp's CPU natives as the build copied them next to the tests.</summary>
    private static string NativeDirectory() =>
        Path.GetDirectoryName(Directory.EnumerateFiles(AppContext.BaseDirectory, "libggml.so", SearchOption.AllDirectories)
            .First(p => p.Contains(RuntimeInformation.RuntimeIdentifier, StringComparison.Ordinal)))!;
}
