using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Compares what LLamaSharp marshals with what the C headers of the natives' source declare: every struct it lays
/// out, field group by field group, and every function it imports, parameter by parameter. Mismatches listed in
/// <see cref="AllowedAbiDifferences"/> are set apart with their reasons; any other one means LLamaSharp would
/// read or write the wrong bytes.
/// </summary>
internal static class AbiComparer
{
    public static AbiComparison Compare(ManagedInterop managed, AbiDescription c)
    {
        var found = new List<AbiMismatch>();
        foreach (var type in managed.Structs)
        {
            found.AddRange(CompareStruct(type, c));
        }

        foreach (var import in managed.Imports)
        {
            found.AddRange(CompareFunction(import, c));
        }

        var distinct = found.Distinct().ToList();
        var allowed = distinct.Select(m => (Mismatch: m, Allowance: AllowedAbiDifferences.Find(m))).ToList();
        return new AbiComparison(
            [.. allowed.Where(a => a.Allowance is null).Select(a => a.Mismatch)],
            [.. allowed.Where(a => a.Allowance is not null).Select(a => new AllowedAbiMismatch(a.Mismatch, a.Allowance!))]);
    }

    private static IEnumerable<AbiMismatch> CompareStruct(Type type, AbiDescription c)
    {
        var mapping = AbiStructNames.For(type);
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        switch (mapping?.Kind)
        {
            case null:
                yield return new AbiMismatch(AbiSubject.Struct, type.FullName ?? type.Name, null, AbiDifference.StructNotMapped,
                    $"LLamaSharp marshals {type.FullName}, which the ABI check does not know: add it to {nameof(AbiStructNames)}.");
                yield break;
            case AbiStructMappingKind.Int32:
                if (fields is not [{ FieldType: var only }] || only != typeof(int))
                {
                    yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, type.Name, AbiDifference.WrapperInvalid, $"{type.Name} should wrap exactly one int.");
                }

                yield break;
            case AbiStructMappingKind.Opaque:
                if (fields.Length > 0)
                {
                    yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, type.Name, AbiDifference.WrapperInvalid, $"{type.Name} stands for an opaque C type but has fields.");
                }

                yield break;
        }

        if (!c.Structs.TryGetValue(mapping.CName, out var cStruct))
        {
            yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, null, AbiDifference.StructMissing, $"the headers describe no struct {mapping.CName} (LLamaSharp's {type.Name}).");
            yield break;
        }

        var managedSize = Marshal.SizeOf(type);
        if (managedSize != cStruct.Size)
        {
            yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, "size", AbiDifference.SizeDiffers, $"C {cStruct.Size} bytes, LLamaSharp's {type.Name} {managedSize}.");
        }

        var cGroups = cStruct.Fields.GroupBy(f => f.Offset).ToDictionary(g => g.Key, g => g.ToList());
        var managedGroups = fields.GroupBy(f => (int)Marshal.OffsetOf(type, f.Name)).ToDictionary(g => g.Key, g => g.Select(f => (Field: f, Shape: ManagedShape.Of(f))).ToList());
        foreach (var (offset, cMembers) in cGroups.OrderBy(g => g.Key))
        {
            var cSize = cMembers.Max(f => f.Type.Size);
            var names = string.Join("/", cMembers.Select(f => f.Name));
            if (!managedGroups.TryGetValue(offset, out var managedMembers))
            {
                yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, names, AbiDifference.FieldMissing, $"C has {names} ({cMembers[0].Type}) at offset {offset}; LLamaSharp's {type.Name} has no field there.");
                continue;
            }

            var size = managedMembers.Max(m => m.Shape.Size);
            var managedNames = string.Join("/", managedMembers.Select(m => m.Field.Name));
            if (size != cSize)
            {
                yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, names, AbiDifference.FieldSizeDiffers, $"at offset {offset}: C {cSize} bytes, LLamaSharp's {managedNames} {size}.");
                continue;
            }

            // A union is as wide as its widest member; that member's kind is the group's kind.
            var cWidest = cMembers.Where(f => f.Type.Size == cSize).ToList();
            var managedWidest = managedMembers.Where(m => m.Shape.Size == size).ToList();
            if (!cWidest.Any(f => managedWidest.Any(m => Compatible(f.Type, m.Shape))))
            {
                yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, names, AbiDifference.FieldKindDiffers,
                    $"at offset {offset}: C {string.Join("/", cWidest.Select(f => f.Type))}, LLamaSharp's {managedNames} {string.Join("/", managedWidest.Select(m => m.Shape))}.");
            }
        }

        foreach (var (offset, managedMembers) in managedGroups.Where(g => !cGroups.ContainsKey(g.Key)).OrderBy(g => g.Key))
        {
            // A managed field wholly inside C's padding (LLamaSharp's explicit PADDING fields) changes nothing.
            var end = offset + managedMembers.Max(m => m.Shape.Size);
            var overlapped = cStruct.Fields.Where(f => f.Offset < end && offset < f.Offset + f.Type.Size).Select(f => f.Name).ToList();
            if (overlapped.Count > 0)
            {
                var managedNames = string.Join("/", managedMembers.Select(m => m.Field.Name));
                yield return new AbiMismatch(AbiSubject.Struct, mapping.CName, managedNames, AbiDifference.FieldOverlaps,
                    $"LLamaSharp's {type.Name}.{managedNames} at offset {offset} overlaps C's {string.Join(", ", overlapped)}.");
            }
        }
    }

    private static IEnumerable<AbiMismatch> CompareFunction(ManagedImport import, AbiDescription c)
    {
        var name = import.EntryPoint;
        if (!c.Functions.TryGetValue(name, out var function))
        {
            yield return new AbiMismatch(AbiSubject.Function, name, null, AbiDifference.FunctionMissing, $"the headers declare no {name} (imported by LLamaSharp's {import}).");
            yield break;
        }

        var parameters = import.Method.GetParameters();
        if (parameters.Length != function.Parameters.Count)
        {
            yield return new AbiMismatch(AbiSubject.Function, name, null, AbiDifference.ParameterCountDiffers,
                $"C takes {function.Parameters.Count} parameter(s), LLamaSharp's {import} passes {parameters.Length}.");
            yield break;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            var shape = ManagedShape.Of(parameters[i]);
            if (!Compatible(function.Parameters[i], shape))
            {
                yield return new AbiMismatch(AbiSubject.Function, name, $"parameter {i + 1}", AbiDifference.ParameterDiffers,
                    $"C {function.Parameters[i]}, LLamaSharp's {import} passes {parameters[i].Name} as {shape}.");
            }
        }

        var returned = ManagedShape.Of(import.Method.ReturnParameter);
        if (!Compatible(function.Return, returned))
        {
            yield return new AbiMismatch(AbiSubject.Function, name, "return", AbiDifference.ReturnDiffers, $"C returns {function.Return}, LLamaSharp's {import} expects {returned}.");
        }
    }

    /// <summary>The contract's compatibility: integer ≡ enum ≡ bool of one size; float only with float; anything pointer-like with ptr.</summary>
    internal static bool Compatible(AbiType c, ManagedShape managed)
    {
        if (managed.Kind == ManagedKind.Struct && managed.Struct is { } type && AbiStructNames.For(type) is { } mapping)
        {
            return mapping.Kind switch
            {
                AbiStructMappingKind.Int32 => c.Kind is AbiKind.Int && c.Size == 4,
                AbiStructMappingKind.Struct => c.Kind == AbiKind.Struct && c.StructName == mapping.CName,
                _ => false,
            };
        }

        return c.Kind switch
        {
            AbiKind.Int or AbiKind.Bool => managed.Kind is ManagedKind.Integer or ManagedKind.Bool && managed.Size == c.Size
                || managed.Kind == ManagedKind.PointerSized && c.Size == IntPtr.Size,
            AbiKind.Float => managed.Kind == ManagedKind.Float && managed.Size == c.Size,
            AbiKind.Ptr => managed.Kind is ManagedKind.Pointer or ManagedKind.PointerSized,
            AbiKind.Array => managed.Kind == ManagedKind.FixedBuffer && managed.Size == c.Size,
            AbiKind.Void => managed.Kind == ManagedKind.Void,
            _ => false,
        };
    }
}

/// <summary>The outcome of a comparison: the mismatches that matter, and the known ones allowed with their reasons.</summary>
internal sealed record AbiComparison(IReadOnlyList<AbiMismatch> Mismatches, IReadOnlyList<AllowedAbiMismatch> Allowed)
{
    public bool Matches => Mismatches.Count == 0;
}

/// <summary>A mismatch set apart by an entry of <see cref="AllowedAbiDifferences"/>.</summary>
internal sealed record AllowedAbiMismatch(AbiMismatch Mismatch, AllowedAbiDifference Allowance);
