#include "serve/slots.hpp"

namespace hubbench::serve {

void TurnLock::lock() {
    std::unique_lock guard(mutex_);
    const std::uint64_t ticket = next_ticket_++;
    turn_.wait(guard, [&] { return serving_ == ticket; });
}

void TurnLock::unlock() {
    {
        std::lock_guard guard(mutex_);
        ++serving_;
    }
    turn_.notify_all();
}

void Slots::acquire() {
    std::unique_lock guard(mutex_);
    const std::uint64_t ticket = next_ticket_++;
    // Ticket t may enter once every earlier ticket has entered and a slot is free.
    freed_.wait(guard, [&] { return ticket == admitted_ && processing_ < capacity_; });
    ++admitted_;
    ++processing_;
    guard.unlock();
    freed_.notify_all();  // the next ticket may fit too
}

void Slots::release() {
    {
        std::lock_guard guard(mutex_);
        --processing_;
    }
    freed_.notify_all();
}

SlotCounts Slots::counts() const {
    std::lock_guard guard(mutex_);
    return {processing_, static_cast<std::size_t>(next_ticket_ - admitted_), capacity_};
}

}  // namespace hubbench::serve
