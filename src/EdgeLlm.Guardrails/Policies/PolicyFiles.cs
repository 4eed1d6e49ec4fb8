namespace EdgeLlm.Guardrails.Policies;

/// <summary>Reads a policy document from a file, no more of it than a document may hold.</summary>
public static class PolicyFiles
{
    /// <summary>The file's document, compiled; or why it is refused (unreadable, too large, invalid), with the path named.</summary>
    public static PolicyLoadResult Read(string path)
    {
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length > PolicyLimits.MaxDocumentBytes)
            {
                return new PolicyLoadResult.Refused("$", $"the document is {file.Length} bytes; at most {PolicyLimits.MaxDocumentBytes}");
            }

            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PolicyLoadResult.Refused("$", $"the file cannot be read: {e.Message}");
        }

        return PolicyReader.Read(bytes);
    }
}
