namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>One instruction of a Dockerfile: its keyword (upper case), its arguments and the line it starts on.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The leading <c>--name=value</c> flags (COPY --from, FROM --platform, HEALTHCHECK --interval ...).</summary>
    public IReadOnlyDictionary<string, string> Flags => Split().Flags;

    /// <summary>The arguments after the flags.</summary>
    public string Rest => Split().Remainder;

    private (Dictionary<string, string> Flags, string Remainder) Split()
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = Arguments;
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOf(' ', StringComparison.Ordinal);
            var flag = end < 0 ? rest : rest[..end];
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? string.Empty : flag[(equals + 1)..];
            rest = end < 0 ? string.Empty : rest[(end + 1)..].TrimStart();
        }

        return (flags, rest);
    }
}

/// <summary>A build stage: its FROM and the instructions up to the next FROM.</summary>
internal sealed record DockerStage(DockerInstruction From, string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions);

/// <summary>
/// A Dockerfile read the way the builder reads it: comment lines dropped (also inside continuations),
/// backslash continuations joined, instructions split into stages.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions, IReadOnlyList<DockerStage> stages)
    {
        Instructions = instructions;
        Stages = stages;
    }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The image the file produces: its last stage.</summary>
    public DockerStage Runtime => Stages[^1];

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var pending = new System.Text.StringBuilder();
        var start = 0;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (pending.Length == 0)
            {
                start = index + 1;
            }

            var continued = line.EndsWith('\\');
            pending.Append(continued ? line[..^1] : line).Append(' ');
            if (!continued)
            {
                instructions.Add(ToInstruction(pending.ToString().Trim(), start));
                pending.Clear();
            }
        }

        if (pending.Length > 0)
        {
            instructions.Add(ToInstruction(pending.ToString().Trim(), start));
        }

        return new Dockerfile(instructions, ToStages(instructions));
    }

    private static DockerInstruction ToInstruction(string text, int line)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? new DockerInstruction(text.ToUpperInvariant(), string.Empty, line)
            : new DockerInstruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim(), line);
    }

    private static List<DockerStage> ToStages(List<DockerInstruction> instructions)
    {
        var stages = new List<DockerStage>();
        DockerInstruction? from = null;
        var body = new List<DockerInstruction>();
        foreach (var instruction in instructions.Append(new DockerInstruction("FROM", "end", 0)))
        {
            if (instruction.Keyword != "FROM")
            {
                body.Add(instruction);
                continue;
            }

            if (from is not null)
            {
                var words = from.Rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add(new DockerStage(from, words.FirstOrDefault() ?? string.Empty, name, body));
            }

            from = instruction;
            body = [];
        }

        return stages;
    }
}
