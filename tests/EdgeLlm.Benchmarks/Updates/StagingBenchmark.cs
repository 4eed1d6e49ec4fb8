using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Benchmarks.Updates;

/// <summary>
/// Staging a large artifact (copy into staging with its SHA-256 computed in the same single read) against
/// <c>sha256sum</c> alone on the same file, in the same run: verifying should cost no more than reading once.
/// Page cache is dropped where possible (root) so both read from disk; each is run twice, best kept.
/// </summary>
internal static class StagingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var gigabytes = args is ["--gigabytes", var value, ..] ? double.Parse(value, CultureInfo.InvariantCulture) : 2.0;
        var folder = Directory.CreateTempSubdirectory("edgellm-staging-bench-").FullName;
        try
        {
            var source = Path.Combine(folder, "artifact.bin");
            var size = (long)(gigabytes * (1L << 30));
            Console.WriteLine($"writing a {gigabytes:F1} GiB artifact ...");
            var sha = await WriteRandomAsync(source, size);
            var artifact = new BundleArtifact("model", "artifact.bin", size, sha);

            double baseline = double.MaxValue, staging = double.MaxValue;
            for (var round = 0; round < 2; round++)
            {
                DropCaches();
                baseline = Math.Min(baseline, Sha256sum(source, sha));
                DropCaches();
                var destination = Path.Combine(folder, "staged.bin");
                var stopwatch = Stopwatch.StartNew();
                await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
                {
                    if (await ArtifactStager.CopyAsync(input, artifact, destination, CancellationToken.None) is { } refused)
                    {
                        throw new InvalidOperationException(refused.Message);
                    }
                }

                staging = Math.Min(staging, stopwatch.Elapsed.TotalSeconds);
                File.Delete(destination);
            }

            var mib = size / (double)(1 << 20);
            Console.WriteLine();
            Console.WriteLine("| measure | result | baseline (same run) | ratio | goal |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            Console.WriteLine($"| staging (copy + SHA-256, one read, fsync) | {mib / staging:F0} MiB/s | sha256sum alone {mib / baseline:F0} MiB/s | {baseline / staging:F2}x | >= 0.9x |");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> WriteRandomAsync(string path, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        await using var output = File.Create(path);
        for (long written = 0; written < size; written += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            var count = (int)Math.Min(buffer.Length, size - written);
            hash.AppendData(buffer, 0, count);
            await output.WriteAsync(buffer.AsMemory(0, count));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static double Sha256sum(string path, string expected)
    {
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [path]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return output.StartsWith(expected, StringComparison.Ordinal) ? seconds : throw new InvalidOperationException("sha256sum disagrees: " + output);
    }

    private static void DropCaches()
    {
        try
        {
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Not root: both sides then read from the page cache alike.
        }
    }
}
