using System.Runtime.Versioning;

namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>
/// A copy of the repository's <c>scripts/</c> and <c>native/</c> folders in a scratch folder, so that
/// <c>scripts/build-natives.sh</c> (which finds its root as <c>scripts/..</c>) writes its <c>.natives/</c> there and
/// never into the real one, and a test may change the copy's <c>native/natives.lock</c>. Beside the copy lies the
/// <c>shared/natives/</c> folder the script looks in for the source package (<c>../shared/natives/</c>), and a
/// stand-in npm that only records that it was called, so no test ever fetches.
/// </summary>
[SupportedOSPlatform("linux")] // the stand-in npm is a shell script
internal sealed class NativesScratchRoot
{
    private NativesScratchRoot(string scratch)
    {
        Root = Path.Combine(scratch, "repo");
        SharedNatives = Path.Combine(scratch, "shared", "natives");
        StandInTools = Path.Combine(scratch, "stand-in-tools");
        NpmCalls = Path.Combine(scratch, "npm-calls");
    }

    public string Root { get; }

    public string Script => Path.Combine(Root, "scripts", "build-natives.sh");

    public string NativesFolder => Path.Combine(Root, ".natives");

    public string LockFile => Path.Combine(Root, "native", "natives.lock");

    /// <summary><c>../shared/natives/</c> as seen from <see cref="Root"/>.</summary>
    public string SharedNatives { get; }

    /// <summary>Where the stand-in npm writes its arguments when something calls it.</summary>
    public string NpmCalls { get; }

    private string StandInTools { get; }

    public static NativesScratchRoot Create(string scratch, string repositoryRoot)
    {
        var root = new NativesScratchRoot(scratch);
        foreach (var folder in new[] { "scripts", "native" })
        {
            CopyFolder(Path.Combine(repositoryRoot, folder), Path.Combine(root.Root, folder));
        }

        Directory.CreateDirectory(root.SharedNatives);
        Directory.CreateDirectory(root.StandInTools);
        var npm = Path.Combine(root.StandInTools, "npm");
        File.WriteAllText(npm, $"#!/bin/sh\necho \"$*\" >>'{root.NpmCalls}'\necho 'stand-in npm: no network in tests' >&2\nexit 1\n");
        File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return root;
    }

    public string LockValue(string name) =>
        File.ReadAllLines(LockFile).Select(line => line.Split('=', 2)).Single(pair => pair.Length == 2 && pair[0] == name)[1];

    /// <summary>Replaces one <c>name=value</c> line of the copy's lock.</summary>
    public void SetLockValue(string name, string value)
    {
        var lines = File.ReadAllLines(LockFile);
        var at = Array.FindIndex(lines, line => line.StartsWith(name + "=", StringComparison.Ordinal));
        if (at < 0)
        {
            throw new InvalidOperationException($"native/natives.lock has no {name}");
        }

        lines[at] = $"{name}={value}";
        File.WriteAllLines(LockFile, lines);
    }

    /// <summary>Runs the copied build-natives.sh with the stand-in npm first on PATH.</summary>
    public Task<CommandResult> RunScriptAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = StandInTools + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        return Command.RunAsync("bash", [Script, .. arguments], environment);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
