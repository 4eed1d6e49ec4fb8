// Everything here is Linux: bash scripts, systemd units, file modes and owners, ELF libraries.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
