// The steps' names and the lock kinds made by name (for the loader's checks and the OS).
#include "models/core/scenario.hpp"
#include "models/lock/lock_model.hpp"

namespace gilsim {

const char* lock_op_name(lock_op op)
{
  switch (op) {
    case lock_op::lock: return "lock";
    case lock_op::unlock: return "unlock";
    case lock_op::put: return "put";
    case lock_op::get: return "get";
    case lock_op::wait: return "wait";
    case lock_op::notify: return "notify";
    case lock_op::notify_all: return "notify_all";
    case lock_op::set: return "set";
    case lock_op::clear: return "clear";
  }
  return "?";
}

std::optional<lock_op> lock_op_of(step_kind k)
{
  switch (k) {
    case step_kind::lock: return lock_op::lock;
    case step_kind::unlock: return lock_op::unlock;
    case step_kind::put: return lock_op::put;
    case step_kind::get: return lock_op::get;
    case step_kind::wait: return lock_op::wait;
    case step_kind::notify: return lock_op::notify;
    case step_kind::notify_all: return lock_op::notify_all;
    case step_kind::set: return lock_op::set;
    case step_kind::clear: return lock_op::clear;
    case step_kind::cpu:
    case step_kind::io:
    case step_kind::sleep:
    case step_kind::repeat:
    case step_kind::for_each: break;
  }
  return std::nullopt;
}

std::unique_ptr<lock_model> make_lock_model(const model_choice& kind, const std::string& name)
{
  const auto* e = lock_registry::instance().find(kind.name);
  GILSIM_ASSERT(e, "lock kinds are resolved when they are read");
  return e->make(kind.params, lock_context{name});
}

}  // namespace gilsim
