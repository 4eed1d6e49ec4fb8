using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EdgeLlm.Testing;

/// <summary>
/// The settings and service variables a developer's shell (or a host running the daemon under systemd) may hold are
/// taken out of the test process before any test runs, so neither the in-process servers nor the daemons the tests
/// start see them: a test gets exactly the settings it gives.
/// </summary>
internal static class InheritedEnvironment
{
    private static readonly string[] Names = ["EDGELLM_FAULT_POINT", "CREDENTIALS_DIRECTORY", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"];

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: it runs before the tests it belongs to.")]
    internal static void Clear()
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("EDGELLM__", StringComparison.Ordinal) || Names.Contains(name))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
