namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>
/// The settings an entity is planted in: prose with or without a context word, JSON, a line of its own, brackets and
/// trailing punctuation, and glued inside a word (where it must not be found).
/// </summary>
internal static class Surroundings
{
    private static readonly string[] Neutral = ["Please check", "See", "Noted:", "Value", "Ref", "The entry reads", "Copied from the form:", ""];
    private static readonly string[] Tails = [".", ",", " today.", " - thanks", "", ";", "!", " (confirmed)"];

    /// <summary>Plants <paramref name="value"/> once, labelled as <paramref name="family"/> (null: a look-alike).</summary>
    public static CorpusItem Plant(Random random, string? family, string value, IReadOnlyList<string> contextWords)
    {
        var item = new CorpusItemBuilder();
        var lead = random.Next(3) == 0 && contextWords.Count > 0
            ? Pick(random, contextWords) + (random.Next(2) == 0 ? ": " : " ")
            : Pick(random, Neutral) + " ";
        switch (random.Next(6))
        {
            case 0:
                item.Text(lead).Entity(family, value).Text(Pick(random, Tails));
                break;
            case 1:
                item.Text("{\"id\": " + random.Next(1000) + ", \"value\": \"").Entity(family, value).Text("\", \"ok\": true}");
                break;
            case 2:
                item.Text("first line\r\n" + lead + "\n").Entity(family, value).Text("\nlast line");
                break;
            case 3:
                item.Text(lead + "(").Entity(family, value).Text(")");
                break;
            case 4:
                item.Text(lead + "<").Entity(family, value).Text("> and more text");
                break;
            default:
                item.Text("'").Entity(family, value).Text("' " + Pick(random, Tails));
                break;
        }

        return item.Build();
    }

    /// <summary>Glued inside a word: letters or underscores right against the value, so it is no entity.</summary>
    public static CorpusItem InsideWord(Random random, string value)
    {
        string[] glue = ["abc", "x", "_", "Q", "id", "zz"];
        var before = random.Next(3) != 0 ? Pick(random, glue) : "";
        var after = before.Length == 0 || random.Next(2) == 0 ? Pick(random, glue) : "";
        return new CorpusItemBuilder().Text("token ").Entity(null, before + value + after).Text(" end").Build();
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
