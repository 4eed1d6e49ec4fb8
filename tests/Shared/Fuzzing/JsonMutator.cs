using System.Text;
using System.Text.Json.Nodes;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Derives hostile JSON bodies from a valid one, aware of its structure: any field (nested ones included) may get
/// a value of the wrong kind, go missing, appear twice, hold broken text, an extreme number or a deep nest, and
/// unknown fields appear. What JSON trees cannot hold (lone surrogate escapes, bytes that are not UTF-8, NaN,
/// duplicate keys) goes in as a placeholder replaced by raw bytes after serialisation.
/// </summary>
internal static class JsonMutator
{
    private const string Marker = "@@RAW";

    public static (byte[] Body, string Mutation) Mutate(string validBody, Random random)
    {
        if (random.Next(8) == 0)
        {
            return WholeBody(validBody, random);
        }

        var root = JsonNode.Parse(validBody)!.AsObject();
        var raws = new List<byte[]>();
        var applied = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            applied.Add(MutateOne(root, random, raws));
        }

        return (Expand(root.ToJsonString(), raws), string.Join(" + ", applied));
    }

    private static string MutateOne(JsonObject root, Random random, List<byte[]> raws)
    {
        var slots = Slots(root, "").ToList();
        if (slots.Count == 0)
        {
            root["zz_unknown"] = JsonNode.Parse(random.Pick(HostileValues.AnyKind));
            return "unknown field in an emptied body";
        }

        var strings = slots.Where(s => s.Node is JsonValue value && value.TryGetValue<string>(out _)).ToList();
        var slot = strings.Count > 0 && random.Next(3) > 0 ? strings[random.Next(strings.Count)] : slots[random.Next(slots.Count)];
        string Raw(string text) => Placeholder(raws, Encoding.UTF8.GetBytes(text));

        switch (random.Next(12))
        {
            case 0:
                Set(slot, JsonNode.Parse(random.Pick(HostileValues.AnyKind)));
                return "wrong-kind " + slot.Path;
            case 1:
                Remove(slot);
                return "missing " + slot.Path;
            case 2:
                var objects = Objects(root).ToList();
                var target = objects[random.Next(objects.Count)];
                target["zz_unknown_" + random.Next(100)] = JsonNode.Parse(random.Pick(HostileValues.AnyKind));
                return "unknown field";
            case 3:
                return Duplicate(root, random, raws);
            case 4:
                var surrogate = random.Pick(HostileValues.LoneSurrogates);
                Set(slot, JsonValue.Create(Raw(surrogate)));
                return $"lone surrogate {surrogate} at {slot.Path}";
            case 5:
                var bad = HostileValues.InvalidUtf8[random.Next(HostileValues.InvalidUtf8.Length)];
                Set(slot, JsonValue.Create(Placeholder(raws, [.. "\"ok"u8, .. bad, .. "ok\""u8])));
                return $"invalid UTF-8 {Convert.ToHexString(bad)} at {slot.Path}";
            case 6:
                var notNumber = random.Pick(HostileValues.NotNumbers);
                Set(slot, JsonValue.Create(Raw(notNumber)));
                return $"{notNumber} at {slot.Path}";
            case 7:
                var number = random.Pick(HostileValues.Numbers);
                Set(slot, JsonValue.Create(Raw(number)));
                return $"number {number} at {slot.Path}";
            case 8:
                var length = random.Next(4) == 0 ? 70_000 : random.Next(1_000, 20_000);
                Set(slot, random.Next(3) == 0 ? JsonValue.Create(Raw(HostileValues.LongArray(length / 2))) : JsonValue.Create(HostileValues.Long(random, length)));
                return $"huge value ({length}) at {slot.Path}";
            case 9:
                var depth = new[] { 31, 33, 64, 65, 200, 5_000 }[random.Next(6)];
                Set(slot, JsonValue.Create(Raw(HostileValues.Nested(random, depth))));
                return $"nested {depth} deep at {slot.Path}";
            default:
                var awkward = random.Pick(HostileValues.AwkwardText);
                Set(slot, JsonValue.Create(awkward));
                return $"awkward text at {slot.Path}";
        }
    }

    private static (byte[] Body, string Mutation) WholeBody(string validBody, Random random)
    {
        var bodies = new (string Name, byte[] Bytes)[]
        {
            ("empty", []),
            ("null", "null"u8.ToArray()),
            ("array", "[]"u8.ToArray()),
            ("number", "123"u8.ToArray()),
            ("string", "\"text\""u8.ToArray()),
            ("lone surrogate string", "\"\\ud800\""u8.ToArray()),
            ("open brace", "{"u8.ToArray()),
            ("empty object", "{}"u8.ToArray()),
            ("extra brace", Encoding.UTF8.GetBytes(validBody + "}")),
            ("trailing garbage", Encoding.UTF8.GetBytes(validBody + " trailing")),
            ("second document", Encoding.UTF8.GetBytes(validBody + validBody)),
            ("byte order mark", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(validBody)]),
            ("UTF-16", Encoding.Unicode.GetBytes(validBody)),
            ("UTF-32", Encoding.UTF32.GetBytes(validBody)),
            ("comment", Encoding.UTF8.GetBytes("/* c */" + validBody)),
            ("trailing comma", Encoding.UTF8.GetBytes(validBody[..^1] + ",}")),
            ("single quotes", Encoding.UTF8.GetBytes(validBody.Replace('"', '\''))),
            ("lone surrogate key", Encoding.UTF8.GetBytes("{\"\\ud800\":1," + validBody[1..])),
            ("invalid UTF-8 key", [.. "{\""u8, 0xFF, 0xFE, .. "\":1,"u8, .. Encoding.UTF8.GetBytes(validBody[1..])]),
            ("NUL bytes", [0, 0, 0, 0]),
            ("random bytes", Enumerable.Range(0, random.Next(1, 2_000)).Select(_ => (byte)random.Next(256)).ToArray()),
            ("deep nest", Encoding.UTF8.GetBytes(HostileValues.Nested(random, 10_000))),
        };
        var (name, bytes) = bodies[random.Next(bodies.Length)];
        return (bytes, "whole body: " + name);
    }

    private static string Duplicate(JsonObject root, Random random, List<byte[]> raws)
    {
        var withFields = Objects(root).Where(o => o.Count > 0).ToList();
        if (withFields.Count == 0)
        {
            return "duplicate of nothing (empty body)";
        }

        var target = withFields[random.Next(withFields.Count)];
        var name = target.ElementAt(random.Next(target.Count)).Key;
        var key = Placeholder(raws, Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(name)));
        target[key] = JsonNode.Parse(random.Pick(HostileValues.AnyKind));
        return "duplicate " + name;
    }

    private static string Placeholder(List<byte[]> raws, byte[] bytes)
    {
        raws.Add(bytes);
        return Marker + (raws.Count - 1) + "@@";
    }

    /// <summary>The serialised tree with every quoted placeholder replaced by its raw bytes.</summary>
    private static byte[] Expand(string json, List<byte[]> raws)
    {
        var output = new List<byte>(json.Length + 64);
        var at = 0;
        while (true)
        {
            var start = json.IndexOf("\"" + Marker, at, StringComparison.Ordinal);
            if (start < 0)
            {
                output.AddRange(Encoding.UTF8.GetBytes(json[at..]));
                return [.. output];
            }

            var end = json.IndexOf("@@\"", start + Marker.Length + 1, StringComparison.Ordinal);
            var index = int.Parse(json.AsSpan(start + 1 + Marker.Length, end - start - 1 - Marker.Length), System.Globalization.CultureInfo.InvariantCulture);
            output.AddRange(Encoding.UTF8.GetBytes(json[at..start]));
            output.AddRange(raws[index]);
            at = end + 3;
        }
    }

    private sealed record Slot(JsonNode Parent, string? Key, int Index, JsonNode? Node, string Path);

    private static IEnumerable<Slot> Slots(JsonNode node, string path)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                var childPath = path.Length == 0 ? key : path + "." + key;
                yield return new Slot(obj, key, -1, child, childPath);
                if (child is not null)
                {
                    foreach (var inner in Slots(child, childPath))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var childPath = $"{path}[{i}]";
                yield return new Slot(array, null, i, array[i], childPath);
                if (array[i] is { } child)
                {
                    foreach (var inner in Slots(child, childPath))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode node) =>
        node switch
        {
            JsonObject obj => [obj, .. obj.Select(p => p.Value).OfType<JsonNode>().SelectMany(Objects)],
            JsonArray array => array.OfType<JsonNode>().SelectMany(Objects),
            _ => [],
        };

    private static void Set(Slot slot, JsonNode? value)
    {
        if (slot.Parent is JsonObject obj)
        {
            obj[slot.Key!] = value;
        }
        else
        {
            ((JsonArray)slot.Parent)[slot.Index] = value;
        }
    }

    private static void Remove(Slot slot)
    {
        if (slot.Parent is JsonObject obj)
        {
            obj.Remove(slot.Key!);
        }
        else
        {
            ((JsonArray)slot.Parent).RemoveAt(slot.Index);
        }
    }
}
