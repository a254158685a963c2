"""Where and when: concerns on the school's map, by zone and time slot, held against the tilsyn records."""
