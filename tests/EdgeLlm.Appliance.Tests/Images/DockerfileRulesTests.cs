using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>
/// The image Dockerfiles follow the rules (pinned bases, non-root, healthcheck, labels, volumes, no secrets,
/// no driver library, nothing from outside the build context), and the checker refuses each kind of break,
/// made by changing one thing in the real CPU Dockerfile.
/// </summary>
public sealed class DockerfileRulesTests
{
    public static TheoryData<string> ImageDockerfiles => ["images/Dockerfile.cpu", "images/Dockerfile.cuda", "Dockerfile.jetson"];

    private static readonly DockerIgnore Context = DockerIgnore.Parse(File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, ".dockerignore")));

    private static string CpuDockerfile => File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, "images", "Dockerfile.cpu"));

    [Theory]
    [MemberData(nameof(ImageDockerfiles))]
    public void EveryImageDockerfileFollowsEveryRule(string path)
    {
        var file = Dockerfile.Parse(File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, path)));

        Assert.Empty(DockerfileRules.Check(file, Context));
        Assert.True(file.Stages.Count >= 2, "multi-stage");
    }

    [Theory]
    [MemberData(nameof(ImageDockerfiles))]
    public void EveryImageIsBuiltByTheScriptCiRunsWithoutDocker(string path)
    {
        var file = Dockerfile.Parse(File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, path)));

        var build = Assert.Single(file.Stages, s => s.Name == "build");
        Assert.Contains(build.Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("scripts/image-steps.sh --rid", StringComparison.Ordinal));
        Assert.Contains(file.Runtime.Instructions, i => i.Keyword == "COPY" && i.Arguments == "--from=build /rootfs/ /");
    }

    [Theory]
    [InlineData("@sha256:a2bf273942b3563bb056ee0b157850aff51c61ba0197c9dea094db6f85f5bda1 AS runtime", " AS runtime", "base-not-pinned")]
    [InlineData("runtime-deps:10.0@sha256:a2bf", "runtime-deps:latest@sha256:a2bf", "latest-tag")]
    [InlineData("USER 10001:10001", "USER root", "root-user")]
    [InlineData("USER 10001:10001", "USER 0:0", "root-user")]
    [InlineData("USER 10001:10001\n", "", "root-user")]
    [InlineData("HEALTHCHECK --interval=30s --timeout=10s --start-period=10m --retries=3 CMD [\"/opt/edgellm/edgellm\", \"health\"]", "", "healthcheck")]
    [InlineData("org.opencontainers.image.revision=", "org.opencontainers.image.commit=", "oci-labels")]
    [InlineData("VOLUME [\"/var/lib/edgellm\", \"/etc/edgellm\"]", "VOLUME [\"/var/lib/edgellm\"]", "volumes")]
    [InlineData("ARG REVISION=unknown\nLABEL", "ARG REVISION=unknown\nENV MQTT_PASSWORD=hunter2\nLABEL", "secret")]
    [InlineData("ARG REVISION=unknown\nLABEL", "ARG REVISION=unknown\nARG NUGET_API_KEY\nLABEL", "secret")]
    [InlineData("COPY src/ src/", "COPY src/ src/\nCOPY src/signing.key /etc/", "secret")]
    [InlineData("COPY src/ src/", "COPY src/ src/\nCOPY .dev/dev-api-key.txt /tmp/", "secret")]
    [InlineData("COPY src/ src/", "COPY src/ src/\nCOPY tests/ tests/", "outside-context")]
    [InlineData("COPY src/ src/", "COPY src/ src/\nCOPY . /src/", "outside-context")]
    [InlineData("COPY --from=build /rootfs/ /", "COPY --from=build /rootfs/ /\nCOPY --from=build /usr/lib/x86_64-linux-gnu/libcuda.so.1 /opt/edgellm/lib/", "driver-library")]
    [InlineData("COPY src/ src/", "COPY src/ src/\nADD https://example.invalid/llama.tar.gz /src/", "remote-add")]
    [InlineData("--out /out/natives", "--tools --out /out/natives", "native-tools")]
    [InlineData("COPY --from=natives /out/lib/ /opt/edgellm/lib/", "COPY --from=natives /out/lib/ /opt/edgellm/lib/\nCOPY --from=natives /out/natives/llama-server /opt/edgellm/", "native-tools")]
    [InlineData("COPY --from=build /rootfs/ /", "COPY --from=busybox:1.36 /bin/busybox /bin/", "base-not-pinned")]
    public void AnImageThatBreaksOneRuleIsRefusedForThatRule(string original, string replacement, string rule)
    {
        var text = CpuDockerfile;
        Assert.Contains(original, text, StringComparison.Ordinal);

        var violations = DockerfileRules.Check(Dockerfile.Parse(ReplaceFirst(text, original, replacement)), Context);

        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal(rule, v.Rule));
    }

    [Fact]
    public void ABaseImageChosenByABuildArgumentIsRefused()
    {
        var text = CpuDockerfile.Replace(
            "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:a2bf273942b3563bb056ee0b157850aff51c61ba0197c9dea094db6f85f5bda1 AS runtime",
            "FROM ${RUNTIME_IMAGE} AS runtime",
            StringComparison.Ordinal);

        var violation = Assert.Single(DockerfileRules.Check(Dockerfile.Parse(text), Context));

        Assert.Equal("base-not-pinned", violation.Rule);
        Assert.Contains("variable", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASingleStageImageIsRefused()
    {
        var violations = DockerfileRules.Check(Dockerfile.Parse("""
            FROM mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:a2bf273942b3563bb056ee0b157850aff51c61ba0197c9dea094db6f85f5bda1
            LABEL org.opencontainers.image.version="1" org.opencontainers.image.revision="r"
            USER 10001
            VOLUME ["/var/lib/edgellm", "/etc/edgellm"]
            HEALTHCHECK CMD ["/opt/edgellm/edgellm", "health"]
            """), Context);

        Assert.Equal("single-stage", Assert.Single(violations).Rule);
    }

    [Fact]
    public void CommentsAndContinuationsAreReadAsTheBuilderReadsThem()
    {
        var file = Dockerfile.Parse("FROM a@sha256:" + new string('0', 64) + " AS build\nRUN one \\\n# a comment inside\n    two\nCOPY --from=build --chown=1:1 /x /y\n");

        var run = Assert.Single(file.Instructions, i => i.Keyword == "RUN");
        Assert.Equal("one two", string.Join(' ', run.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var copy = Assert.Single(file.Instructions, i => i.Keyword == "COPY");
        Assert.Equal("build", copy.Flags["from"]);
        Assert.Equal("/x /y", copy.Rest);
        Assert.Equal(5, copy.Line);
    }

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        var at = text.IndexOf(original, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + original.Length));
    }
}
