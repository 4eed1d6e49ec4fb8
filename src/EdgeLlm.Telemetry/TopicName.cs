using System.Text;

namespace EdgeLlm.Telemetry;

/// <summary>Turns free text (a host name) into one safe MQTT topic level: no <c>/ + #</c>, no control characters.</summary>
internal static class TopicName
{
    public static string FromHost(string host)
    {
        var name = new StringBuilder(Math.Min(host.Length, 64));
        foreach (var c in host)
        {
            if (name.Length == 64)
            {
                break;
            }

            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return name.Length == 0 ? "device" : name.ToString();
    }
}
