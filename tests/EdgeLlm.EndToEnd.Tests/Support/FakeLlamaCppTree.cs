namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>
/// A llama.cpp source tree cut down to what <c>scripts/build-cuda-module.sh</c> reads: the ggml version in
/// <c>ggml/CMakeLists.txt</c> and the backend API version in <c>ggml/src/ggml-backend-impl.h</c>. Its ggml also
/// builds on the CPU, laid out like the real one configured alone: a standalone project that needs
/// <c>ggml.pc.in</c>, a <c>ggml-base</c> with a versioned soname, and a <c>ggml-cuda</c> MODULE in <c>bin/</c>
/// that exports <c>ggml_backend_init</c> (plain C, so a stand-in nvcc is enough).
/// </summary>
internal sealed class FakeLlamaCppTree
{
    public const string BaseSource = "int ggml_base_answer(void) { return 42; }\n";

    public const string ModuleSource = """
        int ggml_base_answer(void);
        void * ggml_backend_init(void) { return (void *) (long) ggml_base_answer(); }
        """;

    private FakeLlamaCppTree(string root) => Root = root;

    public string Root { get; }

    public static FakeLlamaCppTree Create(string parent, string ggmlVersion, int backendApiVersion)
    {
        var root = Directory.CreateDirectory(Path.Combine(parent, "llama.cpp")).FullName;
        var src = Directory.CreateDirectory(Path.Combine(root, "ggml", "src")).FullName;
        var version = ggmlVersion.Split('.');
        File.WriteAllText(Path.Combine(root, "ggml", "CMakeLists.txt"), $$"""
            cmake_minimum_required(VERSION 3.14)
            project("ggml" C)

            ### GGML Version
            set(GGML_VERSION_MAJOR {{version[0]}})
            set(GGML_VERSION_MINOR {{version[1]}})
            set(GGML_VERSION_PATCH {{version[2]}})

            set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
            configure_file(${CMAKE_CURRENT_SOURCE_DIR}/ggml.pc.in ${CMAKE_CURRENT_BINARY_DIR}/ggml.pc @ONLY)
            add_library(ggml-base SHARED src/ggml-base.c)
            set_target_properties(ggml-base PROPERTIES VERSION {{ggmlVersion}} SOVERSION ${GGML_VERSION_MAJOR})
            add_library(ggml-cuda MODULE src/ggml-cuda.c)
            set_target_properties(ggml-cuda PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_RUNTIME_OUTPUT_DIRECTORY})
            target_link_libraries(ggml-cuda PRIVATE ggml-base)

            """);
        File.WriteAllText(Path.Combine(src, "ggml-backend-impl.h"), $"""
            #pragma once

            // ggml-backend internal header

            #include "ggml-backend.h"

                #define GGML_BACKEND_API_VERSION {backendApiVersion}

            """);
        File.WriteAllText(Path.Combine(src, "ggml-base.c"), BaseSource);
        File.WriteAllText(Path.Combine(src, "ggml-cuda.c"), ModuleSource);
        return new FakeLlamaCppTree(root);
    }

    /// <summary>Makes the module fail to compile, as a broken toolkit or source would.</summary>
    public void BreakTheModuleSource() => File.WriteAllText(Path.Combine(Root, "ggml", "src", "ggml-cuda.c"), "this is not C\n");

    /// <summary>Makes the tree a git checkout with one commit, which cannot be the pinned one; returns its hash.</summary>
    public async Task<string> CommitToGitAsync()
    {
        string[] identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"];
        await Command.RunToolAsync("git", "-C", Root, "init", "-q");
        await Command.RunToolAsync("git", "-C", Root, "add", "-A");
        await Command.RunToolAsync("git", ["-C", Root, .. identity, "commit", "-q", "-m", "fake llama.cpp"]);
        return (await Command.RunToolAsync("git", "-C", Root, "rev-parse", "HEAD")).Trim();
    }
}
