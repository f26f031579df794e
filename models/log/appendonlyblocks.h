#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

// An append-only sequence whose elements never move, for a capture written on one thread and read
// on another: elements live in blocks of BlockSize, and the directory of blocks is made once, large
// enough for MaxBlocks, so appending never reallocates anything a reader may be looking at.
// (The directory is only address space until used: a fresh allocation of that size is mapped
// lazily.) One thread appends; others may read the elements below a size the writer published to
// them (with release/acquire ordering, which is the caller's).
template <typename T, std::size_t BlockSize, std::size_t MaxBlocks>
class AppendOnlyBlocks {
public:
    static constexpr std::size_t Capacity = BlockSize * MaxBlocks;
    static constexpr std::size_t ElementsPerBlock = BlockSize;

    AppendOnlyBlocks() = default;
    AppendOnlyBlocks(const AppendOnlyBlocks &) = delete;
    AppendOnlyBlocks &operator=(const AppendOnlyBlocks &) = delete;
    ~AppendOnlyBlocks() { clear(); }

    // The writer's size.
    std::size_t size() const { return m_size; }
    bool full() const { return m_size == Capacity; }
    // A new element at the end, default-initialized; `newBlock` is told when a block was made (to
    // fault its pages in at once, say). Not when full().
    template <typename OnNewBlock>
    T &append(OnNewBlock newBlock)
    {
        if (!m_directory)
            m_directory.reset(new T *[MaxBlocks]); // not zeroed: entries below m_blocks only
        if (m_size % BlockSize == 0) {
            m_directory[m_blocks] = new T[BlockSize];
            newBlock(m_directory[m_blocks], BlockSize);
            std::atomic_ref<std::size_t>(m_blocks).store(m_blocks + 1, std::memory_order_relaxed);
        }
        return (*this)[m_size++];
    }
    T &append()
    {
        return append([](T *, std::size_t) {});
    }
    T &operator[](std::size_t index) const { return m_directory[index / BlockSize][index % BlockSize]; }
    // May be read on any thread (a reader's estimate of the memory used).
    std::size_t blockCount() const
    {
        return std::atomic_ref<std::size_t>(const_cast<std::size_t &>(m_blocks)).load(std::memory_order_relaxed);
    }

    // Only while nobody reads.
    void clear()
    {
        for (std::size_t i = 0; i < m_blocks; ++i)
            delete[] m_directory[i];
        std::atomic_ref<std::size_t>(m_blocks).store(0, std::memory_order_relaxed);
        m_size = 0;
    }

private:
    std::unique_ptr<T *[]> m_directory; // what readers need
    // The writer's counts, on a cache line of their own: a reader looking up elements must not
    // pull the line the writer updates at every append (with the capture's other counters, that
    // cost the networking thread about 65 ns an event in a flood).
    alignas(64) std::size_t m_size = 0;
    std::size_t m_blocks = 0;
};
