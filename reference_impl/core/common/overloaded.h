// The visitor idiom for std::visit over the engine's variants: one lambda per alternative.
#pragma once

namespace qftp {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace qftp
