using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

public sealed class SpeculationPolicyTests
{
    [Fact]
    public void AFewDecodingStreamsWithNoPromptToFeedMayDraftTheMaximum()
    {
        Assert.Equal(8, StepRoom(decodingStreams: 1));
        Assert.Equal(8, StepRoom(decodingStreams: 2));
    }

    [Fact]
    public void NoStepCarriesDraftsWhenSpeculationIsOffForTheModel()
    {
        Assert.Equal(0, StepRoom(enabled: false));
    }

    [Fact]
    public void MoreDecodingStreamsThanTheLimitTurnDraftingOff()
    {
        Assert.Equal(0, StepRoom(maxStreams: 2, decodingStreams: 3));
        Assert.Equal(0, StepRoom(maxStreams: 0, decodingStreams: 1));
        Assert.Equal(0, StepRoom(decodingStreams: 0));
    }

    [Fact]
    public void APromptStillBeingFedTurnsDraftingOffForEveryone()
    {
        Assert.Equal(0, StepRoom(promptPending: true));
    }

    [Fact]
    public void TheRoomIsCappedByAnEvenShareOfTheBatchLeftAfterThePendingTokens()
    {
        Assert.Equal(4, StepRoom(decodingStreams: 2, batchCapacity: 10));
        Assert.Equal(3, StepRoom(decodingStreams: 2, batchCapacity: 9));
        Assert.Equal(0, StepRoom(decodingStreams: 2, batchCapacity: 2));
    }

    [Fact]
    public void ThePendingTokensAndDraftsOfAllStreamsNeverExceedTheBatch()
    {
        for (var capacity = 1; capacity <= 40; capacity++)
        {
            for (var streams = 1; streams <= 8; streams++)
            {
                var room = SpeculationPolicy.StepRoom(true, maxStreams: 8, maxDraftTokens: 16, streams, promptPending: false, capacity);
                Assert.InRange(room, 0, 16);
                Assert.True(streams + (streams * room) <= Math.Max(capacity, streams), $"capacity {capacity}, {streams} streams, room {room}");
            }
        }
    }

    [Fact]
    public void AJobDraftsNoMoreThanItsAllowanceOrItsLengthLimitLeaves()
    {
        Assert.Equal(8, SpeculationPolicy.DraftRoom(stepRoom: 8, allowance: 8, maxTokens: 100, completionTokens: 10));
        Assert.Equal(3, SpeculationPolicy.DraftRoom(stepRoom: 8, allowance: 3, maxTokens: 100, completionTokens: 10));
        Assert.Equal(2, SpeculationPolicy.DraftRoom(stepRoom: 2, allowance: 8, maxTokens: 100, completionTokens: 10));

        // The pending token and k drafts yield up to k + 1 tokens: completion + k + 1 ≤ maxTokens.
        Assert.Equal(4, SpeculationPolicy.DraftRoom(stepRoom: 8, allowance: 8, maxTokens: 15, completionTokens: 10));
        Assert.Equal(0, SpeculationPolicy.DraftRoom(stepRoom: 8, allowance: 8, maxTokens: 11, completionTokens: 10));
        Assert.Equal(0, SpeculationPolicy.DraftRoom(stepRoom: 0, allowance: 8, maxTokens: 100, completionTokens: 10));
    }

    [Fact]
    public void AJobBacksOffAfterAFailedVerifyAndDraftsAgainAfterwards()
    {
        var stats = new DraftStats();
        int Room() => SpeculationPolicy.DraftRoom(StepRoom(), stats.Allowance(8), maxTokens: 100, completionTokens: 10);

        Assert.Equal(8, Room());
        stats.Recorded(8, accepted: 0);
        Assert.Equal(0, Room());

        stats.Skipped();
        var recovered = Room();
        Assert.InRange(recovered, 1, 7);
        stats.Recorded(recovered, accepted: recovered);
        Assert.True(Room() > recovered);
    }

    private static int StepRoom(bool enabled = true, int maxStreams = 2, int decodingStreams = 1, bool promptPending = false, int batchCapacity = 512) =>
        SpeculationPolicy.StepRoom(enabled, maxStreams, maxDraftTokens: 8, decodingStreams, promptPending, batchCapacity);
}
