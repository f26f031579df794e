#pragma once

#include "log/hugepages.h"

#include <atomic>
#include <bit>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>

// An append-only sequence whose elements never move, for a capture written on one thread and read
// on another: elements live in blocks, and the directory of blocks is made once, large enough for
// Capacity, so appending never reallocates anything a reader may be looking at. (The directory is
// only address space until used: a fresh allocation of that size is mapped lazily.) One thread
// appends; others may read the elements below a size the writer published to them (with
// release/acquire ordering, which is the caller's).
//
// Where a sequence's huge-page blocks come from, when not straight from HugePages: a capture under
// a memory budget takes them from its CaptureMemory, which may move a filled one out of memory (to
// a file mapped at the same address, so that elements stay where they were).
class LargeBlockSource {
public:
    virtual ~LargeBlockSource() = default;
    virtual void *take(std::size_t bytes) = 0; // nullptr: none, HugePages gives it instead
    virtual void filled(void *block, std::size_t bytes) = 0; // never written again
    virtual void giveBack(void *block, std::size_t bytes) = 0;
};

// Blocks start at FirstBlock elements and double while they are under half a huge page, so that
// the many small captures of a proxy stay small; from then on each block is one huge page
// (HugePages), which a flood fills at a fraction of the cost of small pages.
template <typename T, std::size_t FirstBlock, std::size_t MaxElements> class AppendOnlyBlocks {
    static_assert(std::has_single_bit(FirstBlock), "the first block's size is a power of two");

public:
    static constexpr std::size_t Capacity = MaxElements;
    // The sizes are functions, not constants: T may be incomplete where the sequence is declared.
    // Elements in each block from the growing ones on: one huge page's worth.
    static constexpr std::size_t largeBlock()
    {
        return HugePages::Size / sizeof(T) > FirstBlock ? HugePages::Size / sizeof(T) : FirstBlock;
    }
    static constexpr std::size_t growingBlocks()
    {
        std::size_t count = 0;
        while ((FirstBlock << count) * 2 <= largeBlock())
            ++count;
        return count;
    }
    static constexpr std::size_t growingElements() { return FirstBlock * ((std::size_t(1) << growingBlocks()) - 1); }
    static constexpr std::size_t maxBlocks()
    {
        return growingBlocks() + (Capacity - growingElements() + largeBlock() - 1) / largeBlock();
    }

    AppendOnlyBlocks() = default;
    AppendOnlyBlocks(const AppendOnlyBlocks &) = delete;
    AppendOnlyBlocks &operator=(const AppendOnlyBlocks &) = delete;
    ~AppendOnlyBlocks() { clear(); }

    // Only while empty.
    void setLargeBlockSource(LargeBlockSource *source) { m_source = source; }

    // The writer's size.
    std::size_t size() const { return m_size; }
    bool full() const { return m_size == Capacity; }
    // A new element at the end, default-initialized (the caller assigns it); `newBlock` is told when a block was made
    // (to fault its pages in at once, say). Not when full().
    template <typename OnNewBlock> T &append(OnNewBlock newBlock)
    {
        if (m_size == m_blockEnd) {
            if (!m_directory) {
                m_directory.reset(new T *[maxBlocks()]); // not zeroed: entries below m_blocks only
                m_sourced.reset(new bool[maxBlocks()]);
            }
            if (m_blocks > growingBlocks() && m_sourced[m_blocks - 1])
                m_source->filled(m_directory[m_blocks - 1], largeBlock() * sizeof(T));
            const std::size_t elements = blockElements(m_blocks);
            T *block = allocate(m_blocks, elements);
            m_directory[m_blocks] = block;
            newBlock(block, elements);
            m_next = block;
            m_blockEnd += elements;
            std::atomic_ref<std::size_t>(m_blocks).store(m_blocks + 1, std::memory_order_relaxed);
        }
        ++m_size;
        return *m_next++;
    }
    T &append()
    {
        return append([](T *, std::size_t) {});
    }
    T &operator[](std::size_t index) const
    {
        if (index < growingElements()) {
            const std::size_t block = std::bit_width(index / FirstBlock + 1) - 1;
            return m_directory[block][index - FirstBlock * ((std::size_t(1) << block) - 1)];
        }
        const std::size_t beyond = index - growingElements();
        return m_directory[growingBlocks() + beyond / largeBlock()][beyond % largeBlock()];
    }
    // The memory its blocks take; may be read on any thread (a reader's estimate).
    std::size_t reservedBytes() const
    {
        const std::size_t blocks
            = std::atomic_ref<std::size_t>(const_cast<std::size_t &>(m_blocks)).load(std::memory_order_relaxed);
        const std::size_t growing = blocks < growingBlocks() ? blocks : growingBlocks();
        return FirstBlock * ((std::size_t(1) << growing) - 1) * sizeof(T)
            + (blocks - growing) * HugePages::roundUp(largeBlock() * sizeof(T));
    }

    // Only while nobody reads.
    void clear()
    {
        for (std::size_t i = 0; i < m_blocks; ++i) {
            if (i < growingBlocks())
                delete[] m_directory[i];
            else if (m_sourced[i])
                m_source->giveBack(m_directory[i], largeBlock() * sizeof(T));
            else
                HugePages::unmap(m_directory[i], largeBlock() * sizeof(T));
        }
        std::atomic_ref<std::size_t>(m_blocks).store(0, std::memory_order_relaxed);
        m_size = m_blockEnd = 0;
        m_next = nullptr;
    }

private:
    static constexpr std::size_t blockElements(std::size_t block)
    {
        return block < growingBlocks() ? FirstBlock << block : largeBlock();
    }
    T *allocate(std::size_t index, std::size_t elements)
    {
        static_assert(std::is_trivially_destructible_v<T> && std::is_trivially_copyable_v<T>);
        static_assert(Capacity > growingElements());
        m_sourced[index] = false;
        if (index < growingBlocks())
            return new T[elements]; // default-initialized: no page is touched before it is used
        void *memory = m_source ? m_source->take(elements * sizeof(T)) : nullptr;
        m_sourced[index] = memory != nullptr;
        if (!memory)
            memory = HugePages::map(elements * sizeof(T));
        if (!memory)
            throw std::bad_alloc();
        T *block = static_cast<T *>(memory);
        std::uninitialized_default_construct_n(block, elements);
        return block;
    }

    std::unique_ptr<T *[]> m_directory; // what readers need
    std::unique_ptr<bool[]> m_sourced; // the writer's: which blocks came from m_source
    LargeBlockSource *m_source = nullptr;
    // The writer's counts, on a cache line of their own: a reader looking up elements must not
    // pull the line the writer updates at every append (with the capture's other counters, that
    // cost the networking thread about 65 ns an event in a flood).
    alignas(64) std::size_t m_size = 0;
    std::size_t m_blocks = 0;
    std::size_t m_blockEnd = 0; // where the last block ends
    T *m_next = nullptr; // the next element's place in it
};
