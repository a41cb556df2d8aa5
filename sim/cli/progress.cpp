#include "sim/cli/progress.hpp"

#include <fmt/format.h>

#include <string>

namespace fulcrum::cli {

ProgressBar::ProgressBar(bool enabled, const char* unit)
    : enabled_(enabled), unit_(unit), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressBar::update(std::int64_t done, std::int64_t total) {
  if (!enabled_ || total <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  // Redrawing more than ten times a second costs time and shows nothing more.
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(fraction * kWidth);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double remaining = done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0.0;
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  std::fputs(fmt::format("\r[{}{}] {:3.0f}% {}/{} {} ({:.1f}/s)  elapsed {:.1f}s  ETA {:.1f}s ", std::string(filled, '#'),
                         std::string(kWidth - filled, '.'), 100.0 * fraction, done, total, unit_, rate, elapsed, remaining)
                 .c_str(),
             stdout);
  std::fflush(stdout);
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) {
    std::fputs("\n", stdout);
    std::fflush(stdout);
  }
}

}  // namespace fulcrum::cli
