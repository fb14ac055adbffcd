// The page's one store (docs/architecture.md, "How data moves").
//
//   action ──dispatch──▶ reducer(state, action) ──▶ new state
//                                                      │  (once per animation frame)
//                                                      ▼
//                              each view's update(state, previous)
//
// Reducers are pure (reducers.js): they never touch the DOM, the network or
// storage. Views draw from the state they are given and compare it with the
// previous one to redraw only what changed. Effects (the live session, the
// room, decoding, the address, storage) live at the edge: they turn what the
// outside world says into actions, and react to state by subscribing.

/**
 * A store over `reducer`, starting at `initial`. Dispatches change the state
 * at once (getState sees them); subscribers hear of it once, at the next
 * animation frame, however many dispatches came before it. `schedule` is
 * requestAnimationFrame in the page (a test passes its own).
 */
export function createStore(reducer, initial, schedule = (f) => requestAnimationFrame(f)) {
  let state = initial;
  // What subscribers were last given: the `previous` of the next render.
  let drawn = initial;
  let scheduled = false;
  const subscribers = new Set();

  function render() {
    scheduled = false;
    const previous = drawn;
    drawn = state;
    for (const fn of subscribers) fn(state, previous);
  }

  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action);
      // A reducer returns the same object when nothing changed: nothing to draw.
      if (next === state) return;
      state = next;
      if (!scheduled) {
        scheduled = true;
        schedule(render);
      }
    },
    /** Calls fn(state, previous) after each frame in which the state changed; returns the unsubscribe. */
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
  };
}

/** Mounts a view ({update(state, previous)}): drawn now from the state as it is, then after every change. */
export function mount(store, view) {
  view.update(store.getState(), null);
  return store.subscribe((state, previous) => view.update(state, previous));
}
