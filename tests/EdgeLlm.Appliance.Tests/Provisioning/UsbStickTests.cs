using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Provisioning;

/// <summary>
/// The air-gapped install: usb-pack.sh lays out a stick with an image archive and a signed bundle (made by
/// edgellm bundle create and minisign, as publishers make them) under a signed SHA256SUMS; edgellm-usb-import
/// imports it into a device's drop folder only when the signature and every checksum hold.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class UsbStickTests : IDisposable
{
    private const int DaemonUid = 4242;
    private readonly ApplianceFixture _appliance;
    private readonly Minisign _minisign = new();
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-usb-").FullName;

    public UsbStickTests(ApplianceFixture appliance)
    {
        _appliance = appliance;
        _minisign.CreateKey("publisher");
        _minisign.CreateKey("stranger");
    }

    private string Stick => Path.Combine(_scratch, "stick", "EDGELLM");

    private string Device => Path.Combine(_scratch, "device");

    private string Incoming => Path.Combine(Device, "var", "lib", "edgellm", "incoming");

    public void Dispose()
    {
        _minisign.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task AStickSignedByATrustedKeyDeliversItsBundleIntoTheDropFolderOwnedByTheDaemon()
    {
        await PackAsync("publisher");
        await PrepareDeviceAsync(trusting: "publisher");

        var result = await ImportAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SHA256SUMS signed by publisher.pub", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("no container runtime here: image/edgellm-9.8.7-cpu.tar not loaded", result.StandardOutput, StringComparison.Ordinal);
        var delivered = Path.Combine(Incoming, "assistant-1.tar");
        Assert.Equal(["assistant-1.tar"], Directory.GetFiles(Incoming).Select(Path.GetFileName));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Stick, "bundles", "assistant-1.tar")), await File.ReadAllBytesAsync(delivered));
        Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), File.GetUnixFileMode(delivered));
        Assert.Equal($"{DaemonUid}:{DaemonUid}", (await Command.RunToolAsync("stat", "-c", "%u:%g", delivered)).Trim());
        var entries = (await Command.RunToolAsync("tar", "-tf", delivered)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["manifest.json", "manifest.json.minisig", "prompts.json"], entries.Order());
    }

    [Fact]
    public async Task ATamperedFileIsRefusedAndNothingIsImported()
    {
        await PackAsync("publisher");
        await PrepareDeviceAsync(trusting: "publisher");
        await using (var archive = File.OpenWrite(Path.Combine(Stick, "image", "edgellm-9.8.7-cpu.tar")))
        {
            archive.WriteByte((byte)'X');
        }

        var result = await ImportAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not match SHA256SUMS", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Incoming));
    }

    [Fact]
    public async Task AStickSignedByAnUntrustedKeyIsRefused()
    {
        await PackAsync("stranger");
        await PrepareDeviceAsync(trusting: "publisher");

        var result = await ImportAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not signed by any trusted key", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Incoming));
    }

    [Fact]
    public async Task AFileTheChecksumsDoNotListIsRefused()
    {
        await PackAsync("publisher");
        await PrepareDeviceAsync(trusting: "publisher");
        await File.WriteAllTextAsync(Path.Combine(Stick, "bundles", "extra.tar"), "not listed");

        var result = await ImportAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("differ from SHA256SUMS", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Incoming));
    }

    private async Task PackAsync(string signer)
    {
        var edgellm = Path.Combine(_appliance.Rootfs, "opt", "edgellm", "edgellm");
        var prompts = _minisign.WriteFile("prompts.json", "{\"system\":\"Answer from the manuals.\"}");
        var bundle = Path.Combine(_scratch, "assistant-1");
        await Command.RunToolAsync(edgellm, "bundle", "create", "--name", "assistant", "--sequence", "1", "--out", bundle, prompts);
        _minisign.Sign("publisher", Path.Combine(bundle, "manifest.json"), "assistant 1");
        var image = Path.Combine(_scratch, "edgellm-9.8.7-cpu.tar");
        await File.WriteAllTextAsync(image, "stands in for docker save output");

        var result = await Command.RunAsync(ApplianceFixture.Script("provisioning", "usb-pack.sh"),
            ["--out", Path.Combine(_scratch, "stick"), "--secret-key", Path.Combine(_minisign.Folder, signer + ".key"), "--image-archive", image, "--bundle", bundle]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task PrepareDeviceAsync(string trusting)
    {
        var keys = Directory.CreateDirectory(Path.Combine(Device, "etc", "edgellm", "trusted-keys")).FullName;
        File.Copy(Path.Combine(_minisign.Folder, trusting + ".pub"), Path.Combine(keys, trusting + ".pub"));
        var data = Directory.CreateDirectory(Path.Combine(Device, "var", "lib", "edgellm")).FullName;
        await Command.RunToolAsync("chown", $"{DaemonUid}:{DaemonUid}", data);
        Directory.CreateDirectory(Incoming);
    }

    private Task<CommandResult> ImportAsync() =>
        Command.RunAsync(ApplianceFixture.Script("provisioning", "usb-import.sh"), [Path.Combine(_scratch, "stick"), "--prefix", Device, "--runtime", "none"]);
}
