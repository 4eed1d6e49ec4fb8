using System.Globalization;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Reads a <c>llama.abi</c> file. The file comes with a natives folder, which may have been tampered with or
/// truncated, so it is read as hostile input: a size limit, every token checked, every failure a line number and a
/// reason, never an exception.
/// </summary>
internal static class AbiDescriptionParser
{
    /// <summary>Larger than any real description (b10361's is about 60 KiB) by far, small enough to refuse junk quickly.</summary>
    public const int MaxBytes = 4 << 20;

    private const int MaxLineChars = 4096;
    private const int MaxParameters = 64;

    public static AbiParseResult ParseFile(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return AbiParseResult.Failed($"{path} does not exist.");
        }

        if (file.Length > MaxBytes)
        {
            return AbiParseResult.Failed($"{path} is {file.Length} bytes, more than the {MaxBytes} an ABI description may have.");
        }

        return Parse(File.ReadAllText(path));
    }

    public static AbiParseResult Parse(string text)
    {
        if (text.Length > MaxBytes)
        {
            return AbiParseResult.Failed($"The ABI description is {text.Length} characters, more than the {MaxBytes} allowed.");
        }

        var structs = new Dictionary<string, MutableStruct>(StringComparer.Ordinal);
        var functions = new Dictionary<string, AbiFunction>(StringComparer.Ordinal);
        var sawHeader = false;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length > MaxLineChars)
            {
                return AbiParseResult.Failed($"line {lineNumber}: longer than {MaxLineChars} characters.");
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tokens = line.Split(' ');
            string? error;
            if (!sawHeader)
            {
                error = tokens is ["abi", "1"] ? null : $"the first record must be 'abi 1', not '{Shorten(line)}'.";
                sawHeader = true;
            }
            else
            {
                error = tokens[0] switch
                {
                    "struct" => ParseStruct(tokens, structs),
                    "field" => ParseField(tokens, structs),
                    "function" => ParseFunction(tokens, functions),
                    "abi" => "a second 'abi' header.",
                    _ => $"unknown record '{Shorten(tokens[0])}'.",
                };
            }

            if (error is not null)
            {
                return AbiParseResult.Failed($"line {lineNumber}: {error}");
            }
        }

        if (!sawHeader)
        {
            return AbiParseResult.Failed("The ABI description is empty (no 'abi 1' header).");
        }

        return Resolve(structs, functions);
    }

    private static string? ParseStruct(string[] tokens, Dictionary<string, MutableStruct> structs)
    {
        if (tokens.Length != 4 || !IsName(tokens[1]))
        {
            return "expected 'struct <name> size=<bytes> align=<bytes>'.";
        }

        if (!Number(tokens[2], "size=", out var size) || !Number(tokens[3], "align=", out var align) || align == 0)
        {
            return $"struct {tokens[1]}: size= and align= must be whole numbers (align at least 1).";
        }

        return structs.TryAdd(tokens[1], new MutableStruct(tokens[1], size, align)) ? null : $"struct {tokens[1]} is described twice.";
    }

    private static string? ParseField(string[] tokens, Dictionary<string, MutableStruct> structs)
    {
        if (tokens.Length != 6 || !IsName(tokens[1]) || !IsName(tokens[2]))
        {
            return "expected 'field <struct> <name> offset=<bytes> size=<bytes> kind=<kind>'.";
        }

        if (!structs.TryGetValue(tokens[1], out var owner))
        {
            return $"field {tokens[2]} belongs to struct {tokens[1]}, which is not described before it.";
        }

        string? typeError = null;
        if (!Number(tokens[3], "offset=", out var offset) || !Number(tokens[4], "size=", out var size) || !tokens[5].StartsWith("kind=", StringComparison.Ordinal))
        {
            return $"field {tokens[1]}.{tokens[2]}: offset=, size= and kind= are required, in that order.";
        }

        // A fixed array of pointers is written as one ptr field of the whole array's size.
        var kind = tokens[5]["kind=".Length..];
        var type = kind == "ptr" && size > 0 && size % 8 == 0 ? new AbiType(AbiKind.Ptr, size) : ParseType(kind, size, out typeError);
        if (type is null || type.Kind == AbiKind.Void)
        {
            return $"field {tokens[1]}.{tokens[2]}: {typeError ?? "a field cannot be void"}.";
        }

        if ((long)offset + size > owner.Size)
        {
            return $"field {tokens[1]}.{tokens[2]} ends at byte {(long)offset + size}, past the struct's size {owner.Size}.";
        }

        if (owner.Fields.Any(f => f.Name == tokens[2]))
        {
            return $"field {tokens[1]}.{tokens[2]} is described twice.";
        }

        owner.Fields.Add(new AbiField(tokens[2], offset, type));
        return null;
    }

    private static string? ParseFunction(string[] tokens, Dictionary<string, AbiFunction> functions)
    {
        if (tokens.Length != 4 || !IsName(tokens[1]) || !tokens[2].StartsWith("return=", StringComparison.Ordinal) || !tokens[3].StartsWith("params=", StringComparison.Ordinal))
        {
            return "expected 'function <name> return=<kind>/<size> params=<kind>/<size>,...'.";
        }

        var returned = ParseSizedType(tokens[2]["return=".Length..], out var error);
        if (returned is null)
        {
            return $"function {tokens[1]}: return: {error}.";
        }

        var list = tokens[3]["params=".Length..];
        var parameters = new List<AbiType>();
        foreach (var (text, index) in (list.Length == 0 ? [] : list.Split(',')).Select((p, i) => (p, i)))
        {
            var parameter = ParseSizedType(text, out error);
            if (parameter is null || parameter.Kind is AbiKind.Void or AbiKind.Array)
            {
                return $"function {tokens[1]}: parameter {index + 1}: {error ?? "a parameter cannot be void or an array"}.";
            }

            parameters.Add(parameter);
        }

        if (parameters.Count > MaxParameters)
        {
            return $"function {tokens[1]}: more than {MaxParameters} parameters.";
        }

        return functions.TryAdd(tokens[1], new AbiFunction(tokens[1], returned, parameters)) ? null : $"function {tokens[1]} is described twice.";
    }

    /// <summary><c>kind/size</c> as a function's return or parameter writes it.</summary>
    private static AbiType? ParseSizedType(string text, out string? error)
    {
        var slash = text.LastIndexOf('/');
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            error = $"'{Shorten(text)}' is not <kind>/<size>";
            return null;
        }

        return ParseType(text[..slash], size, out error);
    }

    private static AbiType? ParseType(string kind, int size, out string? error)
    {
        error = null;
        AbiType? type = kind switch
        {
            "int" when size is 1 or 2 or 4 or 8 => new AbiType(AbiKind.Int, size),
            "float" when size is 4 or 8 => new AbiType(AbiKind.Float, size),
            "bool" when size == 1 => new AbiType(AbiKind.Bool, size),
            "ptr" when size == 8 => new AbiType(AbiKind.Ptr, size),
            "array" when size > 0 => new AbiType(AbiKind.Array, size),
            "void" when size == 0 => new AbiType(AbiKind.Void, 0),
            _ when kind.StartsWith("struct:", StringComparison.Ordinal) && IsName(kind["struct:".Length..]) => new AbiType(AbiKind.Struct, size, kind["struct:".Length..]),
            _ => null,
        };
        if (type is null)
        {
            error = $"'{Shorten(kind)}/{size}' is not a known kind with a possible size";
        }

        return type;
    }

    /// <summary>
    /// Checks what only the whole file can tell: a described struct is used by value at its described size. A struct
    /// the headers only name through a typedef of an anonymous struct (<c>ggml_bf16_t</c>) is not described: only its
    /// size is known, and a LLamaSharp struct mapped to such a name is reported by the comparer as missing.
    /// </summary>
    private static AbiParseResult Resolve(Dictionary<string, MutableStruct> structs, Dictionary<string, AbiFunction> functions)
    {
        var uses = structs.Values.SelectMany(s => s.Fields.Select(f => ($"field {s.Name}.{f.Name}", f.Type)))
            .Concat(functions.Values.SelectMany(f => f.Parameters.Prepend(f.Return).Select(t => ($"function {f.Name}", t))));
        foreach (var (where, type) in uses.Where(u => u.Item2.Kind == AbiKind.Struct))
        {
            if (structs.TryGetValue(type.StructName!, out var used) && used.Size != type.Size)
            {
                return AbiParseResult.Failed($"{where} uses struct {type.StructName} at {type.Size} bytes, but it is described as {used.Size}.");
            }
        }

        var description = new AbiDescription(
            structs.Values.ToDictionary(s => s.Name, s => new AbiStruct(s.Name, s.Size, s.Align, [.. s.Fields]), StringComparer.Ordinal),
            functions);
        return new AbiParseResult(description, null);
    }

    private static bool Number(string token, string prefix, out int value)
    {
        value = 0;
        return token.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(token.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value <= MaxBytes;
    }

    private static bool IsName(string token) =>
        token.Length is > 0 and <= 256 && (char.IsAsciiLetter(token[0]) || token[0] == '_') && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed record MutableStruct(string Name, int Size, int Align)
    {
        public List<AbiField> Fields { get; } = [];
    }
}

/// <summary>A parsed <c>llama.abi</c>, or why it could not be read.</summary>
internal sealed record AbiParseResult(AbiDescription? Description, string? Error)
{
    public bool Succeeded => Description is not null;

    internal static AbiParseResult Failed(string error) => new(null, error);
}
