namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// Why a GGUF file was refused. The names are stable: they go into logs, audit events and API
/// errors, so existing members are never renamed or renumbered.
/// </summary>
public enum GgufRejection
{
    /// <summary>The file was accepted.</summary>
    None = 0,

    /// <summary>The file is shorter than the 24-byte GGUF header.</summary>
    FileTooSmall,

    /// <summary>The file does not start with the bytes <c>GGUF</c>.</summary>
    BadMagic,

    /// <summary>The format version is not 2 or 3 (the versions llama.cpp loads).</summary>
    UnsupportedVersion,

    /// <summary>The header claims more metadata key-values than the limit allows.</summary>
    TooManyKeyValues,

    /// <summary>The header claims more tensors than the limit allows.</summary>
    TooManyTensors,

    /// <summary>Metadata and tensor descriptions together exceed the limit on their size.</summary>
    MetadataTooLarge,

    /// <summary>A key or string value is longer than the limit allows.</summary>
    StringTooLong,

    /// <summary>A metadata array has more elements than the limit allows.</summary>
    ArrayTooLong,

    /// <summary>A metadata value or array element has a type id GGUF does not define.</summary>
    UnknownValueType,

    /// <summary>Arrays are nested deeper than the limit allows (llama.cpp loads no nested arrays).</summary>
    NestedArrayTooDeep,

    /// <summary>The file ends before a structure it declares (header, metadata, tensor table or padding).</summary>
    Truncated,

    /// <summary>A metadata key is empty.</summary>
    InvalidKey,

    /// <summary>Two metadata entries have the same key.</summary>
    DuplicateKey,

    /// <summary><c>general.architecture</c> is absent or not a string.</summary>
    MissingArchitecture,

    /// <summary><c>general.architecture</c> names an architecture outside the supported set.</summary>
    UnsupportedArchitecture,

    /// <summary><c>general.alignment</c> is not a uint32 power of two within the limit.</summary>
    BadAlignment,

    /// <summary>A tensor name is longer than ggml's 63-byte limit.</summary>
    TensorNameTooLong,

    /// <summary>Two tensors have the same name.</summary>
    DuplicateTensorName,

    /// <summary>A tensor has more dimensions than the limit (at most 4, as in ggml).</summary>
    TooManyDimensions,

    /// <summary>A tensor's element count or byte size does not fit a signed 64-bit integer.</summary>
    DimensionOverflow,

    /// <summary>A tensor has a ggml type id that is unknown or retired.</summary>
    UnknownTensorType,

    /// <summary>A tensor's row length (first dimension) is not a whole number of its type's blocks.</summary>
    MisalignedRow,

    /// <summary>A tensor's data offset is not a multiple of the alignment.</summary>
    BadTensorOffset,

    /// <summary>A tensor's data reaches past the end of the file.</summary>
    TensorOutOfBounds,

    /// <summary>Two tensors' data ranges overlap.</summary>
    TensorOverlap,

    /// <summary>A metadata key the file's architecture needs is absent, of the wrong type, or out of the range llama.cpp accepts.</summary>
    BadArchitectureMetadata,

    /// <summary>A tensor the file's architecture needs is absent.</summary>
    MissingTensor,

    /// <summary><c>tokenizer.ggml.tokens</c> holds the same token twice (llama.cpp would abort loading it).</summary>
    DuplicateToken,
}
