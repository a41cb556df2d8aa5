#pragma once
// Large arrays mapped by the kernel in one call before their first touch. This project's virtual
// machine takes some 11 microseconds for each first touch of a 4 kB page (400 MB written page by page:
// 1.1 s), and half that for a page the kernel was asked to map ahead with MADV_POPULATE_WRITE (0.07-0.1 s
// to map, 0.5 s for the first writes after). The first write of a page from the program is still a
// trap to the hypervisor, whoever mapped it: with threads to spare, they touch the pages side by side
// (400 MB: 0.27 s on two threads), so that a serial generator filling the array does not wait on them.
// Used for the network's arrays, built once per market, and by each thread for its blocks' customer
// columns as it sets them up (CustomerState::populate). Where the kernel cannot map ahead (before Linux
// 5.14), the pages are faulted in on first touch, as they were.
#include <cstddef>
#include <vector>

namespace fulcrum {

// Asks for the whole pages of [data, data + bytes) to be mapped now, writable; nothing for arrays under a
// megabyte. With several `threads`, each maps a share of them and writes each of its pages once (a byte
// written back as it was read): only for memory no other thread is using.
void populate_pages(const void* data, std::size_t bytes, int threads = 1);
// The same as each of several threads does for its share, on the calling thread for all the pages: for
// a thread with nothing else to do while another works alone (the array must be no one else's yet).
void populate_and_touch_pages(const void* data, std::size_t bytes);

// Room for `count` elements, mapped ahead: for a vector about to be filled (assign, resize, push_back
// up to `count`) that has no room yet.
template <class T, class Allocator>
void reserve_populated(std::vector<T, Allocator>& vector, std::size_t count, int threads = 1) {
  vector.reserve(count);
  populate_pages(vector.data(), vector.capacity() * sizeof(T), threads);
}

// Keeps the memory the process frees for its own later allocations instead of handing it back to the
// kernel: every large array glibc maps for itself (above 32 MB it always does) is unmapped when freed,
// and the next one's pages are first touches again. A market's edge list (400 MB at 10^7 customers;
// a Watts-Strogatz market has none, watts_strogatz_network) is freed as the customers' columns are
// allocated: reusing its pages took the customers' set-up at 10^7 from 1.6-2.1 s to 1.2-1.3 s. For the
// command-line programs, whose memory peaks once per run;
// a library must not change its host's allocator, so the Python module does not call it.
void keep_freed_memory();
// Hands the pages of the memory freed and kept so far back to the kernel, where holes between live
// arrays would otherwise add to the peak.
void release_freed_memory();

}  // namespace fulcrum
