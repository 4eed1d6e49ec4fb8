// The daemon runs on Linux: file modes and owners, systemd credentials.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
