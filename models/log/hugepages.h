#pragma once

#include <cstddef>

// Large anonymous mappings that the system may back with transparent huge pages (2 MiB).
//
// A capture writes every event into memory it has never used, and each fresh 4 KiB page costs
// a fault. In a virtual machine that shadows the guest's page tables, the first write from user
// space to each page traps to the hypervisor as well, even after the page was made present:
// measured on the 2-core test machine, writing 64 MiB 64 bytes at a time took 80-90 ms in
// 4 KiB pages (prefaulted) and 4-5 ms in huge pages. Where the system offers no huge pages
// (transparent_hugepage set to never), these are ordinary pages.
namespace HugePages {
inline constexpr std::size_t Size = std::size_t(2) << 20;

// Whole huge pages for `bytes`.
constexpr std::size_t roundUp(std::size_t bytes)
{
    return (bytes + Size - 1) / Size * Size;
}

// Zeroed memory of roundUp(bytes), aligned to a huge page; nullptr if there is none. Not yet
// present: the first write (or CaptureMemory::prefault) makes each huge page present.
void *map(std::size_t bytes);
// What map() gave, with the same `bytes`.
void unmap(void *memory, std::size_t bytes);
} // namespace HugePages
