using System.Text;

namespace EdgeLlm.Testing.Fuzzing;

/// <summary>
/// Multipart uploads, valid and broken: cut off before the closing boundary, boundaries that do not match, no
/// boundary at all, hostile file names and ids, text that is not UTF-8, too many files, oversized headers.
/// </summary>
internal static class MultipartMutator
{
    public static (byte[] Body, string ContentType, string Mutation) Create(Random random)
    {
        var boundary = "fuzz" + random.Next(1_000_000);
        var files = new List<(string Name, string Type, byte[] Content)> { ("notes.txt", "text/plain", "The pump is serviced every week."u8.ToArray()) };
        var fields = new List<(string Name, byte[] Value)> { ("title", "Pump"u8.ToArray()), ("tags", "pump,weekly"u8.ToArray()) };
        var mutation = random.Next(16);
        var name = "valid";
        switch (mutation)
        {
            case 1:
                files[0] = (Encoding.UTF8.GetString([0x6E, 0xFF, 0xC0, 0xAF]) + ".txt", "text/plain", files[0].Content);
                fields.Add(("title", [0x50, 0xFF, 0xED, 0xA0, 0x80]));
                name = "invalid UTF-8 in a field and a file name";
                break;
            case 2:
                fields.Add(("id", Encoding.UTF8.GetBytes(random.Pick(["x\n", "..", "a/b", "\u0430dmin", "\uFF11", "x\0", "x\r", new string('i', 500)]))));
                name = "hostile id";
                break;
            case 3:
                files[0] = (random.Pick(["../../etc/passwd", "a\0b.txt", "..\\..\\x.txt", new string('n', 5000) + ".txt", "", "con.txt", "%2E%2E.txt"]), "text/plain", files[0].Content);
                name = "hostile file name";
                break;
            case 4:
                for (var i = 0; i < 40; i++)
                {
                    files.Add(($"f{i}.txt", "text/plain", "x"u8.ToArray()));
                }

                name = "too many files";
                break;
            case 5:
                files[0] = ("bin.txt", random.Pick(["text/plain", "application/pdf", "", "text/plain; charset=utf-16", "multipart/mixed"]),
                    Enumerable.Range(0, random.Next(1, 4_000)).Select(_ => (byte)random.Next(256)).ToArray());
                name = "binary content";
                break;
            case 6:
                fields.Add(("tags", Encoding.UTF8.GetBytes(string.Join(',', Enumerable.Range(0, 200).Select(i => "t" + i)))));
                fields.Add(("source", Encoding.UTF8.GetBytes(new string('s', 5_000))));
                name = "too many tags, long source";
                break;
            case 7:
                fields.Add(("id", "one"u8.ToArray()));
                files.Add(("second.txt", "text/plain", "Second file."u8.ToArray()));
                name = "an id with two files";
                break;
        }

        var body = Build(boundary, files, fields);
        var contentType = $"multipart/form-data; boundary={boundary}";
        switch (mutation)
        {
            case 8:
                return (body[..random.Next(1, body.Length - 1)], contentType, "cut off before the closing boundary");
            case 9:
                return (body[..^(boundary.Length + 8)], contentType, "no closing boundary");
            case 10:
                return (body, "multipart/form-data; boundary=other", "boundary mismatch");
            case 11:
                return (body, random.Pick(["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"" + new string('b', 200) + "\"", "multipart/mixed; boundary=" + boundary]), "bad boundary parameter");
            case 12:
                var header = Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{new string('h', 20_000)}\"\r\n\r\nx\r\n--{boundary}--\r\n");
                return (header, contentType, "oversized part header");
            case 13:
                return (Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--{boundary}--\r\n"), contentType, "part without Content-Disposition");
            case 14:
                return ([.. body.Where(b => b != (byte)'\r')], contentType, "bare LF line ends");
            case 15:
                return ([.. "garbage preamble without any boundary"u8, .. Enumerable.Range(0, random.Next(0, 500)).Select(_ => (byte)random.Next(256))], contentType, "no parts");
            default:
                return (body, contentType, name);
        }
    }

    /// <summary>A bundle upload: random or cut-off tar-like bytes, under several content types.</summary>
    public static (byte[] Body, string ContentType, string Mutation) Binary(Random random)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes("manifest.json").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes(random.Pick(["00000000777\0", "77777777777\0", "zzzzzzzzzzz\0", "00000001000\0"])).CopyTo(header, 124);
        byte[] body = random.Next(3) switch
        {
            0 => [.. header.AsSpan(0, random.Next(1, 512))],
            1 => [.. header, .. Enumerable.Range(0, random.Next(0, 3_000)).Select(_ => (byte)random.Next(256))],
            _ => Enumerable.Range(0, random.Next(0, 5_000)).Select(_ => (byte)random.Next(256)).ToArray(),
        };
        var contentType = random.Pick(["application/x-tar", "application/octet-stream", "application/json", "text/plain", "application/x-tar; charset=utf-8"]);
        return (body, contentType, "bundle bytes " + body.Length);
    }

    private static byte[] Build(string boundary, List<(string Name, string Type, byte[] Content)> files, List<(string Name, byte[] Value)> fields)
    {
        var output = new List<byte>();
        void Text(string text) => output.AddRange(Encoding.UTF8.GetBytes(text));
        foreach (var (name, value) in fields)
        {
            Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n");
            output.AddRange(value);
            Text("\r\n");
        }

        foreach (var (name, type, content) in files)
        {
            Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n");
            if (type.Length > 0)
            {
                Text($"Content-Type: {type}\r\n");
            }

            Text("\r\n");
            output.AddRange(content);
            Text("\r\n");
        }

        Text($"--{boundary}--\r\n");
        return [.. output];
    }
}
