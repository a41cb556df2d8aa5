#pragma once
// Arithmetic written once for one customer (Real = double) and for eight customers side by side
// (Real = Doubles8, GCC's vector extensions: one AVX-512 register in a function compiled for it).
// The scalar path and the vector kernels run the very same operations in the same order, and with
// -ffp-contract=off every one rounds the same way in a lane as alone: they agree to the bit.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace fulcrum {

using Doubles8 = double __attribute__((vector_size(64)));
using Bits8 = std::uint64_t __attribute__((vector_size(64)));
using SignedBits8 = std::int64_t __attribute__((vector_size(64)));

template <class Real>
struct LaneBits;  // the integers of Real's width, lane for lane
template <>
struct LaneBits<double> {
  using type = std::uint64_t;
  using signed_type = std::int64_t;
};
template <>
struct LaneBits<Doubles8> {
  using type = Bits8;
  using signed_type = SignedBits8;
};

template <class Real>
[[gnu::always_inline]] inline Real splat(double value) {
  if constexpr (std::is_same_v<Real, double>) {
    return value;
  } else {
    // The value's bits ORed into a vector of zeros, which GCC 12 makes one broadcast wherever a kernel
    // takes it. Filled lane by lane or from an initialiser, the vector was built by eight masked
    // broadcasts and their mask moves; shuffled from a first lane, by two broadcasts, the second
    // waiting on the first. A kernel takes dozens of parameters and constants (exp's series) for
    // every eight customers.
    using Bits = typename LaneBits<Real>::type;
    return reinterpret_cast<Real>(Bits{} | std::bit_cast<std::uint64_t>(value));
  }
}

template <class Real>
[[gnu::always_inline]] inline typename LaneBits<Real>::type bits_of(Real value) {
  if constexpr (std::is_same_v<Real, double>) {
    return std::bit_cast<std::uint64_t>(value);
  } else {
    return reinterpret_cast<typename LaneBits<Real>::type>(value);
  }
}

template <class Real>
[[gnu::always_inline]] inline Real from_bits(typename LaneBits<Real>::type bits) {
  if constexpr (std::is_same_v<Real, double>) {
    return std::bit_cast<double>(bits);
  } else {
    return reinterpret_cast<Real>(bits);
  }
}

// What comparing two Reals gives: a bool, or a mask of lanes (all ones where true).
template <class Real>
using LaneMask = decltype(Real{} < Real{});

// The ternary, lane by lane for vectors (a comparison of vectors gives a mask of lanes).
template <class Condition, class Real>
[[gnu::always_inline]] inline Real select(Condition condition, Real if_true, Real if_false) {
  return condition ? if_true : if_false;
}

// std::min, std::max and std::clamp, with their exact semantics (which operand wins a tie or a NaN).
template <class Real>
[[gnu::always_inline]] inline Real min_of(Real a, Real b) {
  return select(b < a, b, a);
}
template <class Real>
[[gnu::always_inline]] inline Real max_of(Real a, Real b) {
  return select(a < b, b, a);
}
template <class Real>
[[gnu::always_inline]] inline Real clamp_of(Real value, Real low, Real high) {
  return select(value < low, low, select(high < value, high, value));
}

// A table row's fields (all doubles) as the rules take them, `row(&Row::field)`: for one customer...
template <class Row>
struct ScalarRow {
  const Row& row;
  [[gnu::always_inline]] double operator()(double Row::*field) const { return row.*field; }
};
// ...for eight customers of the same row...
template <class Row>
struct BroadcastRow {
  const Row& row;
  [[gnu::always_inline]] Doubles8 operator()(double Row::*field) const { return splat<Doubles8>(row.*field); }
};
// ...or for eight customers each of its own row (`row_of`: eight row numbers into `table`).
template <class Row>
struct GatheredRows {
  const Row* table;
  const std::int32_t* row_of;
  [[gnu::always_inline]] Doubles8 operator()(double Row::*field) const {
    Doubles8 lanes;
    for (int lane = 0; lane < 8; ++lane) lanes[lane] = table[row_of[lane]].*field;
    return lanes;
  }
};

// ...or for eight customers each of its own row among at most eight, by permutes: the table turned
// into one vector a field (its rows' values side by side, `FieldsOfRows`), and a field's lanes that
// vector permuted by the lanes' row numbers, one instruction where the rows lane by lane are eight
// loads and eight inserts, for each of the dozen fields the rules take.
template <class Row>
struct FieldsOfRows {
  static_assert(std::is_trivially_copyable_v<Row> && sizeof(Row) % sizeof(double) == 0);
  static constexpr std::size_t kMostRows = 8;
  static constexpr std::size_t kSlots = sizeof(Row) / sizeof(double);
  std::array<Doubles8, kSlots> by_slot{};  // [the field's place in Row, in doubles][row]
  bool usable = false;                     // whether the table had at most kMostRows rows

  FieldsOfRows(const Row* table, std::size_t rows) : usable(rows <= kMostRows) {
    for (std::size_t row = 0; usable && row < rows; ++row) {
      std::array<double, kSlots> slots;
      std::memcpy(slots.data(), &table[row], sizeof(Row));
      for (std::size_t slot = 0; slot < kSlots; ++slot) by_slot[slot][row] = slots[slot];
    }
  }
  // Where `field` lies in Row, in doubles: a constant once the call is inlined.
  [[gnu::always_inline]] static std::size_t slot_of(double Row::*field) {
    const Row probe{};
    return static_cast<std::size_t>(reinterpret_cast<const char*>(&(probe.*field)) - reinterpret_cast<const char*>(&probe)) /
           sizeof(double);
  }
};
template <class Row>
struct PermutedRows {
  const FieldsOfRows<Row>& fields;
  SignedBits8 row_of;  // each lane's row, below FieldsOfRows::kMostRows
  [[gnu::always_inline]] Doubles8 operator()(double Row::*field) const {
    return __builtin_shuffle(fields.by_slot[FieldsOfRows<Row>::slot_of(field)], row_of);
  }
};

namespace lanes_detail {
constexpr int kExpSeriesDegree = 13;
constexpr std::array<double, kExpSeriesDegree + 1> inverse_factorials() {
  std::array<double, kExpSeriesDegree + 1> inverse{};
  double factorial = 1.0;  // exact up to 22!
  for (int k = 0; k <= kExpSeriesDegree; ++k) {
    if (k > 1) factorial *= k;
    inverse[static_cast<std::size_t>(k)] = 1.0 / factorial;
  }
  return inverse;
}
constexpr std::array<double, kExpSeriesDegree + 1> kInverseFactorials = inverse_factorials();
}  // namespace lanes_detail

// e^x within about one unit in the last place, from additions, multiplications and bit moves only, so
// that it vectorises and gives the same bits in every lane width and on every IEEE machine (the C
// library's exp is a call per value, and its last bit may change from one glibc to the next).
// x = n ln2 + r with |r| <= ln2/2 (Cody and Waite's two-part ln2, exact for |n| < 2^20); e^r by its
// Taylor series to r^13 (truncation below 5e-18 relative); 2^n as two halves, so that it never
// leaves the exponent range while e^x goes smoothly to 0 (x < -745) or infinity (x > 709.8). NaN
// stays NaN.
template <class Real>
[[gnu::always_inline]] inline Real portable_exp(Real x) {
  using Bits = typename LaneBits<Real>::type;
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kRoundingShift = 0x1.8p52;  // adding it rounds to an integer, left in the low bits
  constexpr double kLn2High = 6.93147180369123816490e-01;
  constexpr double kLn2Low = 1.90821492927058770002e-10;
  const Real bounded = clamp_of(x, splat<Real>(-1000.0), splat<Real>(1000.0));
  const Real shifted = bounded * splat<Real>(kLog2e) + splat<Real>(kRoundingShift);
  const Real n = shifted - splat<Real>(kRoundingShift);
  const Real r = (bounded - n * splat<Real>(kLn2High)) - n * splat<Real>(kLn2Low);
  // The series' terms from r^4 on in Estrin's scheme (pairs c_k + c_{k+1} r, then pairs of pairs with
  // r^2, r^4, r^8: four multiplications deep), the first four by Horner's rule, whose last additions
  // keep the result within an ulp; thirteen multiplications deep before, each waiting on the last.
  const auto c = [](std::size_t k) { return splat<Real>(lanes_detail::kInverseFactorials[k]); };
  static_assert(lanes_detail::kExpSeriesDegree == 13);
  const Real r2 = r * r;
  const Real r4 = r2 * r2;
  const Real r8 = r4 * r4;
  const Real tail = ((c(4) + c(5) * r) + (c(6) + c(7) * r) * r2) + ((c(8) + c(9) * r) + (c(10) + c(11) * r) * r2) * r4 +
                    (c(12) + c(13) * r) * r8;
  const Real series = c(0) + r * (c(1) + r * (c(2) + r * (c(3) + r * tail)));
  // n as an integer (|n| <= 1443), in two halves of at most 722: each a normal power of two.
  const Bits whole = bits_of(shifted) - bits_of(splat<Real>(kRoundingShift));
  using SignedBits = typename LaneBits<Real>::signed_type;
  const Bits half = (Bits)((SignedBits)whole >> 1);  // NOLINT: lane-wise reinterpretation; rounds toward -infinity
  const Bits rest = whole - half;
  const Bits bias = bits_of(splat<Real>(1.0)) >> 52;  // 1023
  return series * from_bits<Real>((half + bias) << 52) * from_bits<Real>((rest + bias) << 52);
}

}  // namespace fulcrum
