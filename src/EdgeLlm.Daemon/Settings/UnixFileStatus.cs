using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLlm.Daemon.Settings;

/// <summary>
/// Owner, group and mode of a file, which .NET does not expose: <c>statx(2)</c>, whose layout is the same on every
/// Linux architecture (unlike <c>struct stat</c>), read at its documented offsets.
/// </summary>
internal readonly partial record struct UnixFileStatus(uint OwnerId, uint GroupId, int Permissions, bool IsRegularFile)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>The file's status (following links, as opening it does), or null when it cannot be read.</summary>
    public static UnixFileStatus? Read(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            return null;
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        return new UnixFileStatus(
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)),
            mode & 0xFFF,
            (mode & FileTypeMask) == RegularFile);
    }

    /// <summary>Whether this process has <paramref name="groupId"/> as its effective or a supplementary group.</summary>
    public static bool ProcessInGroup(uint groupId)
    {
        if (GetEffectiveGroupId() == groupId)
        {
            return true;
        }

        var groups = new uint[Math.Max(GetGroups(0, null), 0)];
        var count = GetGroups(groups.Length, groups);
        return groups.AsSpan(0, Math.Max(count, 0)).Contains(groupId);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "getgroups", SetLastError = true)]
    private static partial int GetGroups(int size, [Out] uint[]? list);
}
