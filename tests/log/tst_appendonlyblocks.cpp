// The capture's append-only storage: every index finds the element appended there, across the
// small blocks that double and the huge-page blocks after them; elements never move; the memory
// reserved follows the blocks made; clear() starts again from the first small block.

#include "log/appendonlyblocks.h"
#include "memorymaps.h"

#include <QTest>

#include <cstdint>
#include <vector>

namespace {
struct Triple {
    quint32 a;
    quint32 b;
    quint32 c;
};
using Blocks = AppendOnlyBlocks<Triple, 4, std::size_t(1) << 24>;

void appendUpTo(Blocks &blocks, std::size_t count, std::vector<std::size_t> *madeBlocks = nullptr)
{
    while (blocks.size() < count) {
        const auto i = quint32(blocks.size());
        blocks.append([madeBlocks](Triple *, std::size_t elements) {
            if (madeBlocks)
                madeBlocks->push_back(elements);
        }) = { i, ~i, i * 7 };
    }
}
} // namespace

class tst_AppendOnlyBlocks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sizesFollowTheHugePage()
    {
        // 12-byte elements: a huge page holds 174762; blocks of 4, 8, ... 65536 come before.
        QCOMPARE(Blocks::largeBlock(), std::size_t(174762));
        QCOMPARE(Blocks::growingBlocks(), std::size_t(15));
        QCOMPARE(Blocks::growingElements(), std::size_t(131068));
    }

    void everyIndexFindsItsElement()
    {
        Blocks blocks;
        std::vector<std::size_t> made;
        const std::size_t count = Blocks::growingElements() + 2 * Blocks::largeBlock() + 5;
        appendUpTo(blocks, 1, &made);
        const Triple *first = &blocks[0];
        appendUpTo(blocks, count, &made);

        QCOMPARE(blocks.size(), count);
        QCOMPARE(&blocks[0], first); // never moved
        for (std::size_t i = 0; i < count; ++i) {
            const Triple &t = blocks[i];
            if (t.a != i || t.b != ~quint32(i) || t.c != quint32(i) * 7)
                QFAIL(qPrintable(QStringLiteral("element %1 holds %2").arg(i).arg(t.a)));
        }
        // 15 doubling blocks, then three of a huge page each (the third holds the last 5).
        QCOMPARE(made.size(), std::size_t(18));
        for (std::size_t b = 0; b < 15; ++b)
            QCOMPARE(made[b], std::size_t(4) << b);
        QCOMPARE(made[15], Blocks::largeBlock());
        QCOMPARE(made[17], Blocks::largeBlock());
    }

    void blocksAreContiguousAndHugeOnesAligned()
    {
        Blocks blocks;
        appendUpTo(blocks, Blocks::growingElements() + Blocks::largeBlock() + 1);
        // Within a block, neighbours are neighbours in memory; the first huge block starts on a
        // huge page, and the next huge block on another.
        QCOMPARE(&blocks[5] - &blocks[4], 1);
        QCOMPARE(&blocks[Blocks::growingElements() + 1] - &blocks[Blocks::growingElements()], 1);
        const auto huge = reinterpret_cast<std::uintptr_t>(&blocks[Blocks::growingElements()]);
        QCOMPARE(huge % HugePages::Size, std::uintptr_t(0));
        const auto next = reinterpret_cast<std::uintptr_t>(&blocks[Blocks::growingElements() + Blocks::largeBlock()]);
        QCOMPARE(next % HugePages::Size, std::uintptr_t(0));
        const std::optional<bool> eligible = hugePagesEligible(&blocks[Blocks::growingElements()]);
        if (!eligible)
            QSKIP("this system offers no transparent huge pages");
        QVERIFY(*eligible);
    }

    void reservedBytesFollowTheBlocks()
    {
        Blocks blocks;
        QCOMPARE(blocks.reservedBytes(), std::size_t(0));
        appendUpTo(blocks, 1);
        QCOMPARE(blocks.reservedBytes(), 4 * sizeof(Triple));
        appendUpTo(blocks, 5); // the second block: 8 more
        QCOMPARE(blocks.reservedBytes(), 12 * sizeof(Triple));
        appendUpTo(blocks, Blocks::growingElements() + 1);
        QCOMPARE(blocks.reservedBytes(), Blocks::growingElements() * sizeof(Triple) + HugePages::Size);
    }

    void clearStartsAgain()
    {
        Blocks blocks;
        appendUpTo(blocks, Blocks::growingElements() + 10);
        blocks.clear();
        QCOMPARE(blocks.size(), std::size_t(0));
        QCOMPARE(blocks.reservedBytes(), std::size_t(0));
        std::vector<std::size_t> made;
        appendUpTo(blocks, 6, &made);
        QCOMPARE(made, (std::vector<std::size_t> { 4, 8 }));
        QCOMPARE(blocks[5].a, quint32(5));
    }

    void fullAtCapacity()
    {
        AppendOnlyBlocks<quint64, 1, 300000> small;
        while (!small.full())
            small.append() = small.size();
        QCOMPARE(small.size(), std::size_t(300000));
        QCOMPARE(small[299999], quint64(299999));
        QCOMPARE(small[0], quint64(0));
    }
};

QTEST_APPLESS_MAIN(tst_AppendOnlyBlocks)
#include "tst_appendonlyblocks.moc"
