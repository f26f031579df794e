#include "log/hugepages.h"

#include <cstdint>
#include <sys/mman.h>

namespace HugePages {

void *map(std::size_t bytes)
{
    const std::size_t size = roundUp(bytes == 0 ? 1 : bytes);
    // The kernel aligns a mapping to a page only: ask for one huge page more, keep the aligned part.
    const std::size_t padded = size + Size;
    void *mapped = mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED)
        return nullptr;
    const auto begin = reinterpret_cast<std::uintptr_t>(mapped);
    const std::uintptr_t aligned = (begin + Size - 1) / Size * Size;
    if (aligned > begin)
        munmap(mapped, aligned - begin);
    const std::uintptr_t end = begin + padded;
    if (end > aligned + size)
        munmap(reinterpret_cast<void *>(aligned + size), end - (aligned + size));
    void *memory = reinterpret_cast<void *>(aligned);
    // Best effort: without transparent huge pages this fails and the pages are small ones.
    madvise(memory, size, MADV_HUGEPAGE);
    return memory;
}

void unmap(void *memory, std::size_t bytes)
{
    if (memory)
        munmap(memory, roundUp(bytes == 0 ? 1 : bytes));
}

} // namespace HugePages
