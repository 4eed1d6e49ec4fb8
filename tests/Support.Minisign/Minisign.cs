using System.Diagnostics;

namespace EdgeLlm.Testing;

/// <summary>The real <c>minisign</c> binary (Debian's package) in a scratch folder: keys and signatures as publishers make them.</summary>
internal sealed class Minisign : IDisposable
{
    public Minisign()
    {
        Folder = Directory.CreateTempSubdirectory("edgellm-minisign-").FullName;
    }

    public string Folder { get; }

    /// <summary>Makes a password-less key pair; returns the public key file's path.</summary>
    public string CreateKey(string name)
    {
        Run("-G", "-W", "-p", Path.Combine(Folder, name + ".pub"), "-s", Path.Combine(Folder, name + ".key"));
        return Path.Combine(Folder, name + ".pub");
    }

    /// <summary>Signs <paramref name="file"/> with key <paramref name="name"/>; returns the .minisig path.</summary>
    public string Sign(string name, string file, string trustedComment, bool legacy = false)
    {
        string[] arguments = ["-S", "-s", Path.Combine(Folder, name + ".key"), "-m", file, "-t", trustedComment];
        Run(legacy ? [.. arguments, "-l"] : arguments);
        return file + ".minisig";
    }

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static void Run(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("minisign", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })
            ?? throw new InvalidOperationException("minisign could not be started (Debian package minisign).");
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"minisign {string.Join(' ', arguments)} failed: {errors}");
        }
    }
}
