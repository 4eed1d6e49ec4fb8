namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// The broker password, read from its secret file at each connection (so a rotated file takes effect at the next
/// reconnect) and never kept in the options. One line: a trailing line break, as editors and <c>echo</c> write it, is not part of it.
/// </summary>
internal static class BrokerPassword
{
    public static string Read(string? passwordFile) =>
        string.IsNullOrEmpty(passwordFile) ? "" : File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
}
