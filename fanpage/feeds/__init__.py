"""The feeds room: RSS, Atom, JSON Feed and iCalendar, as pure functions of entries."""
