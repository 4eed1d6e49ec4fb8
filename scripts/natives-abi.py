#!/usr/bin/env python3
"""Describes the C ABI of a llama.cpp source tree's public headers in EdgeLlm's llama.abi format.

Usage: natives-abi.py SOURCE_DIR > llama.abi

The headers are parsed by clang (its JSON AST) for names and types, and every size and offset is then measured
by the C compiler itself: a generated program prints sizeof/_Alignof/offsetof of each struct and field and the
size of each function's return and parameter types. So the description is what this compiler lays out, not what
a parser guessed. EdgeLlm compares it with what LLamaSharp marshals (src/EdgeLlm.Inference/Backends/Natives).
Exit codes: 0 written; 2 usage; 4 a tool is missing; 5 the headers could not be described.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEADERS = ["llama.h", "mtmd.h", "mtmd-helper.h", "ggml.h", "ggml-backend.h", "ggml-cpu.h"]


def fail(code, message):
    print(f"natives-abi: {message}", file=sys.stderr)
    sys.exit(code)


def tool(*names):
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    fail(4, f"needs one of {', '.join(names)} on PATH")


def include_dirs(source):
    dirs = [os.path.join(source, d) for d in ("include", "ggml/include", "tools/mtmd")]
    for d in dirs:
        if not os.path.isdir(d):
            fail(5, f"{source} is not a llama.cpp source tree: {d} is missing")
    return dirs


def parse_ast(clang, dirs, header_file):
    args = [clang, "-x", "c", "-std=c11", "-fsyntax-only", "-Xclang", "-ast-dump=json", header_file]
    args += [f"-I{d}" for d in dirs]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        fail(5, f"clang could not parse the headers:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def project_decls(ast, dirs):
    """Top-level declarations whose location is in one of the source's include folders, with their file."""
    current = None
    roots = tuple(os.path.realpath(d) + os.sep for d in dirs)
    for node in ast.get("inner", []):
        loc = node.get("loc", {})
        # clang writes a location's file only when it differs from the previous one's.
        for where in (loc, loc.get("expansionLoc", {}), loc.get("spellingLoc", {})):
            if "file" in where:
                current = where["file"]
                break
        if current and os.path.realpath(current).startswith(roots):
            yield node


def type_of(node):
    t = node.get("type", {})
    return t.get("desugaredQualType", t.get("qualType", ""))


TYPEDEFS = {}


def kind_of(c_type):
    t = re.sub(r"\b(const|volatile|restrict)\b", "", c_type).strip()
    # A function's return type is spelled as written: look through typedefs (ggml_backend_t, llama_memory_t).
    for _ in range(16):
        if t not in TYPEDEFS or TYPEDEFS[t] == t:
            break
        t = re.sub(r"\b(const|volatile|restrict)\b", "", TYPEDEFS[t]).strip()
    # clang names a nested unnamed record "struct outer::(unnamed at FILE:LINE:COL)" or "struct (unnamed struct at ...)".
    if re.fullmatch(r"(struct|union) (\w+::)?\((unnamed|anonymous)( struct| union)? at [^)]*\)", t):
        return "struct:anonymous"
    # An array of pointers is an array; a pointer to an array, (*)[N], is a pointer.
    if t.endswith("]") and "(*)" not in t:
        return "array"
    if "*" in t or "(" in t:
        return "ptr"
    if "[" in t:
        return "array"
    if t == "void":
        return "void"
    if t in ("_Bool", "bool"):
        return "bool"
    if t in ("float", "double", "long double"):
        return "float"
    m = re.fullmatch(r"(struct|union)\s+(\w+)", t)
    if m:
        return f"struct:{m.group(2)}"
    return "int"


def collect(decls):
    structs, functions = {}, {}
    for node in decls:
        kind = node.get("kind")
        if kind == "RecordDecl" and node.get("tagUsed") == "struct" and node.get("completeDefinition") and node.get("name"):
            fields = []
            members = node.get("inner", [])
            for i, member in enumerate(members):
                if member.get("kind") == "FieldDecl" and member.get("name"):
                    fields.append((member["name"], type_of(member)))
                elif member.get("kind") == "RecordDecl" and not member.get("name") and not named_field_follows(members, i):
                    # An anonymous union or struct: its members are the parent's, reachable by name.
                    fields += [(m["name"], type_of(m)) for m in member.get("inner", []) if m.get("kind") == "FieldDecl"]
            structs[node["name"]] = fields
        elif kind == "FunctionDecl" and node.get("name") and node.get("storageClass") != "static":
            params = [type_of(p) for p in node.get("inner", []) if p.get("kind") == "ParmVarDecl"]
            full = type_of(node)
            functions[node["name"]] = (full[: top_level_paren(full)].strip(), params)
    return structs, functions


def named_field_follows(members, i):
    """An unnamed record followed by a named field is that field's type (struct { ... } adamw;), not an anonymous member."""
    following = members[i + 1] if i + 1 < len(members) else {}
    return following.get("kind") == "FieldDecl" and bool(following.get("name"))


def top_level_paren(function_type):
    """Index of the '(' that opens a function type's parameter list (a return type may itself contain parentheses)."""
    depth = 0
    for i in range(len(function_type) - 1, -1, -1):
        c = function_type[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                return i
    fail(5, f"cannot read the function type '{function_type}'")


def size_expr(c_type):
    return "0" if kind_of(c_type) == "void" else f"sizeof({c_type})"


def measuring_program(includes, structs, functions):
    lines = [f'#include "{h}"' for h in includes] + ["#include <stdio.h>", "#include <stddef.h>", "int main(void) {"]
    for name, fields in structs.items():
        lines.append(f'  printf("S {name} %zu %zu\\n", sizeof(struct {name}), _Alignof(struct {name}));')
        for field, _ in fields:
            lines.append(f'  printf("F {name} {field} %zu %zu\\n", offsetof(struct {name}, {field}), sizeof(((struct {name} *)0)->{field}));')
    for name, (ret, params) in functions.items():
        sizes = " ".join(["%zu"] * (len(params) + 1))
        exprs = ", ".join(["(size_t)" + size_expr(ret)] + ["(size_t)" + size_expr(p) for p in params])
        lines.append(f'  printf("P {name} {sizes}\\n", {exprs});')
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def measure(cc, dirs, program):
    with tempfile.TemporaryDirectory() as work:
        source, binary = os.path.join(work, "abi.c"), os.path.join(work, "abi")
        with open(source, "w") as f:
            f.write(program)
        build = subprocess.run([cc, "-std=c11", "-w", "-o", binary, source] + [f"-I{d}" for d in dirs], capture_output=True, text=True)
        if build.returncode != 0:
            fail(5, f"the measuring program did not compile:\n{build.stderr[-2000:]}")
        run = subprocess.run([binary], capture_output=True, text=True)
        if run.returncode != 0:
            fail(5, "the measuring program failed")
        return run.stdout.splitlines()


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        fail(2, "usage: natives-abi.py SOURCE_DIR")
    source = os.path.abspath(sys.argv[1])
    dirs = include_dirs(source)
    clang, cc = tool("clang-14", "clang"), tool("cc", "gcc", "clang")
    with tempfile.TemporaryDirectory() as work:
        header_file = os.path.join(work, "all.h")
        with open(header_file, "w") as f:
            f.write("".join(f'#include "{h}"\n' for h in HEADERS))
        ast = parse_ast(clang, dirs, header_file)
    TYPEDEFS.update({n["name"]: n["type"]["qualType"] for n in ast.get("inner", []) if n.get("kind") == "TypedefDecl"})
    structs, functions = collect(project_decls(ast, dirs))
    if "llama_context_params" not in structs or "llama_decode" not in functions:
        fail(5, "the headers declare no llama_context_params or llama_decode")
    measured = measure(cc, dirs, measuring_program(HEADERS, structs, functions))

    out = ["abi 1"]
    field_types = {(s, f): t for s, fields in structs.items() for f, t in fields}
    for line in measured:
        tag, rest = line.split(" ", 1)
        if tag == "S":
            name, size, align = rest.split()
            out.append(f"struct {name} size={size} align={align}")
        elif tag == "F":
            struct, field, offset, size = rest.split()
            out.append(f"field {struct} {field} offset={offset} size={size} kind={kind_of(field_types[(struct, field)])}")
        elif tag == "P":
            name, *sizes = rest.split()
            ret, params = functions[name]
            kinds = [f"{kind_of(t)}/{s}" for t, s in zip([ret] + params, sizes)]
            out.append(f"function {name} return={kinds[0]} params={','.join(kinds[1:])}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
