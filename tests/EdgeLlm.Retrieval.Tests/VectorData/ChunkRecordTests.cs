using System.Diagnostics.CodeAnalysis;
using EdgeLlm.Retrieval.VectorData;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

// MEVD9001: the connector-side model API, used here to check the record the way a connector would.
#pragma warning disable MEVD9001

namespace EdgeLlm.Retrieval.Tests.VectorData;

public sealed class ChunkRecordTests
{
    [Fact]
    public void AConnectorReadsTheAttributesAsTheSchemaWithTheDefaultVectorLength()
    {
        var model = new ConnectorModelBuilder().Build(typeof(ChunkRecord), typeof(long), null, null);

        Assert.Equal(nameof(ChunkRecord.Id), model.KeyProperty.ModelName);
        Assert.Equal((ChunkRecord.DefaultDimensions, DistanceFunction.CosineSimilarity), (model.VectorProperty.Dimensions, model.VectorProperty.DistanceFunction));
        Assert.True(model.DataProperties.Single(p => p.ModelName == nameof(ChunkRecord.Text)).IsFullTextIndexed);
        Assert.True(model.DataProperties.Single(p => p.ModelName == nameof(ChunkRecord.DocumentId)).IsIndexed);
    }

    [Fact]
    public void ADefinitionGivesTheVectorTheCollectionsLengthAndKeepsTheRestOfTheSchema()
    {
        var fromAttributes = new ConnectorModelBuilder().Build(typeof(ChunkRecord), typeof(long), null, null);
        var model = new ConnectorModelBuilder().Build(typeof(ChunkRecord), typeof(long), ChunkRecord.DefinitionFor(768), null);

        Assert.Equal((768, DistanceFunction.CosineSimilarity), (model.VectorProperty.Dimensions, model.VectorProperty.DistanceFunction));
        Assert.Equal(Describe(fromAttributes.DataProperties), Describe(model.DataProperties));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkRecord.DefinitionFor(0));
    }

    private static string[] Describe(IEnumerable<DataPropertyModel> properties) =>
        [.. properties.Select(p => $"{p.ModelName}:{p.Type.Name}:{p.IsIndexed}:{p.IsFullTextIndexed}").Order(StringComparer.Ordinal)];

    /// <summary>The model building every connector runs on a record type when a collection is opened, with typical type rules.</summary>
    private sealed class ConnectorModelBuilder() : CollectionModelBuilder(new CollectionModelBuildingOptions { SupportsMultipleVectors = false, RequiresAtLeastOneVector = true })
    {
        protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
        {
            supportedTypes = "string, int, long";
            return type == typeof(string) || type == typeof(int) || type == typeof(long);
        }

        protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
        {
            supportedTypes = "ReadOnlyMemory<float>";
            return type == typeof(ReadOnlyMemory<float>);
        }
    }
}
