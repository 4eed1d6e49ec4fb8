using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

public sealed class DraftSourceTests
{
    [Fact]
    public void PromptLookupFillsEachSlotFromItsOwnHistoryWithinItsRoom()
    {
        var copying = Slot([1, 2, 3, 4, 5, 1, 2]);
        var capped = Slot([1, 2, 3, 4, 5, 1, 2]);
        var original = Slot([1, 2, 3, 4, 5, 6, 7]);
        copying.Room = 8;
        capped.Room = 2;
        original.Room = 8;

        new PromptLookupDraftSource().Propose([copying, capped, original]);

        Assert.Equal([3, 4, 5, 1, 2, 3, 4, 5], copying.Proposed.ToArray());
        Assert.Equal([3, 4], capped.Proposed.ToArray());
        Assert.Equal(0, original.Count);
    }

    [Fact]
    public void ANewRoomClearsTheLastStepsDrafts()
    {
        var slot = Slot([1, 2, 3, 1, 2]);
        slot.Room = 4;
        new PromptLookupDraftSource().Propose([slot]);
        Assert.Equal([3, 1, 2, 3], slot.Proposed.ToArray());

        slot.Room = 0;

        Assert.Equal(0, slot.Count);
        Assert.True(slot.Proposed.IsEmpty);
    }

    [Fact]
    public void ASlotRefusesRoomBeyondItsBufferAndCountsBeyondItsRoom()
    {
        var slot = Slot([1, 2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => slot.Room = 9);
        slot.Room = 2;
        Assert.Throws<ArgumentOutOfRangeException>(() => slot.Count = 3);
    }

    private static DraftSlot Slot(int[] history)
    {
        var drafter = new PromptLookupDrafter(2, 4);
        drafter.Append(history);
        return new DraftSlot(drafter, maxDrafts: 8);
    }
}
