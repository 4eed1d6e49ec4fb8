using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// What an assembly (LLamaSharp's) hands to llama.cpp, found by reflection so that a new import or struct in a
/// LLamaSharp update cannot slip past the ABI check: every <c>[DllImport]</c> of llama.cpp's libraries, and every
/// struct reachable from them through parameters, returns, pointers, refs, arrays, fields and callback signatures.
/// </summary>
internal sealed record ManagedInterop(IReadOnlyList<ManagedImport> Imports, IReadOnlyList<Type> Structs)
{
    /// <summary>The libraries (as LLamaSharp names them in <c>[DllImport]</c>) whose imports are compared.</summary>
    public static readonly IReadOnlySet<string> Libraries = new HashSet<string>(StringComparer.Ordinal) { "llama", "mtmd", "ggml", "ggml-base" };

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>LLamaSharp's, as loaded in this process.</summary>
    public static ManagedInterop LLamaSharp { get; } = Discover(typeof(LLama.Native.NativeApi).Assembly);

    public static ManagedInterop Discover(Assembly assembly)
    {
        var imports = new List<ManagedImport>();
        var structs = new List<Type>();
        var seen = new HashSet<Type>();
        foreach (var type in LoadableTypes(assembly))
        {
            foreach (var method in type.GetMethods(Declared))
            {
                if (method.GetCustomAttribute<DllImportAttribute>() is not { } import || !Libraries.Contains(import.Value))
                {
                    continue;
                }

                imports.Add(new ManagedImport(import.Value, import.EntryPoint ?? method.Name, method));
                foreach (var parameter in method.GetParameters())
                {
                    Reach(parameter.ParameterType, assembly, seen, structs);
                }

                Reach(method.ReturnType, assembly, seen, structs);
            }
        }

        return new ManagedInterop(imports, structs);
    }

    /// <summary>A struct the import layer lays out itself: a value type of the assembly that is neither primitive nor enum.</summary>
    private static void Reach(Type type, Assembly assembly, HashSet<Type> seen, List<Type> structs)
    {
        while (type.HasElementType)
        {
            type = type.GetElementType()!;
        }

        if (type.IsFunctionPointer)
        {
            foreach (var parameter in type.GetFunctionPointerParameterTypes().Append(type.GetFunctionPointerReturnType()))
            {
                Reach(parameter, assembly, seen, structs);
            }

            return;
        }

        if (type.Assembly != assembly || !seen.Add(type))
        {
            return;
        }

        if (type.IsSubclassOf(typeof(Delegate)))
        {
            var invoke = type.GetMethod("Invoke")!;
            foreach (var parameter in invoke.GetParameters())
            {
                Reach(parameter.ParameterType, assembly, seen, structs);
            }

            Reach(invoke.ReturnType, assembly, seen, structs);
            return;
        }

        if (!type.IsValueType || type.IsPrimitive || type.IsEnum)
        {
            return;
        }

        structs.Add(type);
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            // A fixed buffer's compiler-made holder type is an array, not a struct of its own.
            if (field.GetCustomAttribute<FixedBufferAttribute>() is null)
            {
                Reach(field.FieldType, assembly, seen, structs);
            }
        }
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            // Types whose optional dependencies are absent cannot declare llama.cpp imports that matter here.
            return ex.Types.OfType<Type>();
        }
    }
}

/// <summary>One <c>[DllImport]</c>: its library, the native entry point, and the declaring method.</summary>
internal sealed record ManagedImport(string Library, string EntryPoint, MethodInfo Method)
{
    public override string ToString() => $"{Method.DeclaringType?.Name}.{Method.Name} ({Library}!{EntryPoint})";
}
