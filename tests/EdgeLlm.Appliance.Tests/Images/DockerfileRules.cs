using System.Text.RegularExpressions;

namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>A broken rule: its stable id, the line, and what is wrong.</summary>
internal sealed record DockerfileViolation(string Rule, int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Rule}: {Message}";
}

/// <summary>
/// The rules every EdgeLlm image follows, checked on the Dockerfile's text because no engine runs in CI:
/// multi-stage; every base image pinned by digest and none tagged latest; the runtime stage runs as a
/// non-root user, has a HEALTHCHECK on /healthz, OCI version and revision labels and the two volumes; no
/// secret in ENV, ARG or LABEL, none copied in; nothing downloaded by ADD; the driver's libcuda never copied;
/// no llama.cpp program (llama-bench, llama-server ...) built or copied, only the natives the daemon loads;
/// and nothing copied from the build context that .dockerignore keeps out of it.
/// </summary>
internal static partial class DockerfileRules
{
    public static IReadOnlyList<DockerfileViolation> Check(Dockerfile file, DockerIgnore context)
    {
        var violations = new List<DockerfileViolation>();
        void Refuse(string rule, DockerInstruction at, string message) => violations.Add(new DockerfileViolation(rule, at.Line, message));

        if (file.Stages.Count < 2)
        {
            Refuse("single-stage", file.Stages.FirstOrDefault()?.From ?? new DockerInstruction("FROM", string.Empty, 1), "an image needs a build stage and a slim runtime stage");
        }

        var stageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var stage in file.Stages)
        {
            if (!stageNames.Contains(stage.Image))
            {
                CheckImageReference(stage.Image, stage.From, Refuse);
            }

            if (stage.Name is not null)
            {
                stageNames.Add(stage.Name);
            }
        }

        foreach (var instruction in file.Instructions)
        {
            CheckInstruction(instruction, stageNames, context, Refuse);
        }

        CheckRuntimeStage(file.Runtime, Refuse);
        return violations;
    }

    private static void CheckImageReference(string image, DockerInstruction at, Action<string, DockerInstruction, string> refuse)
    {
        if (image.Contains('$', StringComparison.Ordinal))
        {
            refuse("base-not-pinned", at, $"'{image}' is chosen by a variable; write the pinned reference itself");
        }
        else if (!PinnedReference().IsMatch(image))
        {
            refuse("base-not-pinned", at, $"'{image}' is not pinned by digest (name:tag@sha256:<64 hex>)");
        }

        if (LatestTag().IsMatch(image))
        {
            refuse("latest-tag", at, $"'{image}' uses the tag latest");
        }
    }

    private static void CheckInstruction(DockerInstruction instruction, HashSet<string> stages, DockerIgnore context, Action<string, DockerInstruction, string> refuse)
    {
        if (instruction.Keyword is "ENV" or "ARG" or "LABEL" && SecretName().Match(instruction.Arguments) is { Success: true } name)
        {
            refuse("secret", instruction, $"{instruction.Keyword} {name.Value}: secrets are given at run time, never baked into an image");
        }

        if (SecretValue().IsMatch(instruction.Arguments))
        {
            refuse("secret", instruction, "holds what looks like a key or password");
        }

        if (instruction.Keyword is "COPY" or "ADD" or "RUN" && instruction.Arguments.Contains("libcuda.so", StringComparison.Ordinal))
        {
            refuse("driver-library", instruction, "libcuda.so comes from the host's driver (container toolkit or CDI), never from the image");
        }

        if (instruction.Keyword is "COPY" or "ADD" && LlamaCppProgram().Match(instruction.Rest) is { Success: true } program)
        {
            refuse("native-tools", instruction, $"copies {program.Value}: an image carries the natives the daemon loads, never llama.cpp's programs");
        }

        if (instruction.Keyword == "RUN" && instruction.Arguments.Contains("build-natives.sh", StringComparison.Ordinal)
            && instruction.Arguments.Contains("--tools", StringComparison.Ordinal))
        {
            refuse("native-tools", instruction, "build-natives.sh --tools builds llama.cpp's programs, which no image carries");
        }

        if (instruction.Keyword == "ADD" && instruction.Rest.Contains("://", StringComparison.Ordinal))
        {
            refuse("remote-add", instruction, "ADD downloads without a pin; fetch into the build context or a pinned stage");
        }

        if (instruction.Keyword is not ("COPY" or "ADD"))
        {
            return;
        }

        if (instruction.Flags.TryGetValue("from", out var from))
        {
            if (!stages.Contains(from))
            {
                CheckImageReference(from, instruction, refuse);
            }

            return;
        }

        foreach (var source in Sources(instruction.Rest).Where(s => !s.Contains("://", StringComparison.Ordinal)))
        {
            if (SecretFile().IsMatch(source))
            {
                refuse("secret", instruction, $"copies '{source}', which looks like a key or credential file");
            }
            else if (!context.Includes(source))
            {
                refuse("outside-context", instruction, $"copies '{source}', which .dockerignore keeps out of the build context");
            }
        }
    }

    private static void CheckRuntimeStage(DockerStage runtime, Action<string, DockerInstruction, string> refuse)
    {
        var user = runtime.Instructions.LastOrDefault(i => i.Keyword == "USER");
        if (user is null || user.Arguments.Split(':')[0] is "root" or "0")
        {
            refuse("root-user", user ?? runtime.From, "the runtime stage must end with USER set to an unprivileged user");
        }

        var healthcheck = runtime.Instructions.LastOrDefault(i => i.Keyword == "HEALTHCHECK");
        var probesHealthz = healthcheck is not null
            && (healthcheck.Rest.Contains("/healthz", StringComparison.Ordinal) || DaemonHealthCommand().IsMatch(healthcheck.Rest));
        if (!probesHealthz)
        {
            refuse("healthcheck", healthcheck ?? runtime.From, "the runtime stage needs HEALTHCHECK CMD probing /healthz (edgellm health does)");
        }

        var labels = string.Join(' ', runtime.Instructions.Where(i => i.Keyword == "LABEL").Select(i => i.Arguments));
        foreach (var label in new[] { "org.opencontainers.image.version", "org.opencontainers.image.revision" })
        {
            if (!labels.Contains(label + "=", StringComparison.Ordinal))
            {
                refuse("oci-labels", runtime.From, $"the runtime stage has no {label} label");
            }
        }

        var volumes = string.Join(' ', runtime.Instructions.Where(i => i.Keyword == "VOLUME").Select(i => i.Arguments));
        foreach (var volume in new[] { "\"/var/lib/edgellm\"", "\"/etc/edgellm\"" })
        {
            if (!volumes.Contains(volume, StringComparison.Ordinal))
            {
                refuse("volumes", runtime.From, $"the runtime stage has no VOLUME {volume}");
            }
        }
    }

    /// <summary>COPY/ADD sources: every word but the last (the destination), or the JSON array form's items.</summary>
    private static IEnumerable<string> Sources(string rest)
    {
        var words = rest.TrimStart().StartsWith('[')
            ? rest.Trim('[', ']', ' ').Split(',').Select(w => w.Trim().Trim('"')).ToArray()
            : rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Take(words.Length - 1);
    }

    [GeneratedRegex(@"^[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedReference();

    [GeneratedRegex(@"\bllama-(bench|batched-bench|server|cli)\b")]
    private static partial Regex LlamaCppProgram();

    [GeneratedRegex(@":latest(@|$)")]
    private static partial Regex LatestTag();

    [GeneratedRegex(@"\b[A-Za-z0-9_.]*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)[A-Za-z0-9_.]*\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"ellm_[a-z0-9]{12}_|-----BEGIN [A-Z ]*PRIVATE KEY-----|untrusted comment: minisign encrypted secret key")]
    private static partial Regex SecretValue();

    [GeneratedRegex(@"(\.key|\.pem|\.p12|\.pfx|id_rsa|id_ed25519|\.minisign/|dev-api-key\.txt|\.dev/?)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretFile();

    [GeneratedRegex(@"edgellm""?\s*,\s*""health""\s*\]$")]
    private static partial Regex DaemonHealthCommand();
}
