#pragma once
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace fulcrum {

// An allocator whose resize leaves new elements as they are, for arrays always written before they are
// read: a block's lists growing back to its size each quarter, a network's rows filled edge by edge
// (zeroing 400 MB of neighbours at 10^7 customers first would double the writes).
template <class T>
struct UninitialisedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  UninitialisedAllocator() = default;
  template <class U>
  explicit UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* place) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(place)) U;
  }
  template <class U, class... Arguments>
  void construct(U* place, Arguments&&... arguments) {
    ::new (static_cast<void*>(place)) U(std::forward<Arguments>(arguments)...);
  }
};

}  // namespace fulcrum
