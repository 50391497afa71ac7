package sim

import (
	"math"
	"slices"
)

// vmSet holds a fleet's VMs so that a scaling action costs in proportion to
// the fleet as it is now, not to every VM it has launched so far: the ids of
// gone VMs are reused, booting VMs wait in a queue, the VMs not gone are
// listed in launch order, and each zone counts its VMs. (A 72-hour bursty
// run launches tens of thousands of VMs; scanning them all on each action
// was a fifth of its time.)
//
// Launch order is what the fleet's choices follow wherever VMs tie (which
// VM to stop among the least busy, which booting one to cancel) and the
// order in which their bills add up, so it is kept exactly, whatever ids
// are reused.
type vmSet struct {
	vms []vmInst // by id
	// live lists the VMs not gone, in launch order; a VM that stops is
	// removed, and its id freed, at the next sweep.
	live []int32
	// booting lists booting VMs in launch order, which is also the order
	// they become ready (a fleet's boot delay is fixed). Cancelled ones
	// stay until the next sweep.
	booting  []int32
	bootHead int
	free     []int32 // ids to reuse
	inZone   []int   // booting and running VMs per zone
}

func newVMSet(zones int) vmSet { return vmSet{inZone: make([]int, zones)} }

// add launches a VM in zone z at time t that serves from ready on, and
// returns its id. It starts booting; the fleet makes it ready.
func (s *vmSet) add(z int, t, ready float64) int32 {
	v := vmInst{zone: z, state: vmBooting, start: t, ready: ready}
	var id int32
	if n := len(s.free); n > 0 {
		id = s.free[n-1]
		s.free = s.free[:n-1]
		s.vms[id] = v
	} else {
		id = int32(len(s.vms))
		s.vms = append(s.vms, v)
	}
	s.live = append(s.live, id)
	s.inZone[z]++
	return id
}

// queueBoot puts a booting VM behind the others.
func (s *vmSet) queueBoot(id int32) { s.booting = append(s.booting, id) }

// setState moves VM id to state st, keeping the zone counts.
func (s *vmSet) setState(id int32, st vmState) {
	v := &s.vms[id]
	counted := func(x vmState) bool { return x == vmBooting || x == vmRunning }
	if counted(v.state) && !counted(st) {
		s.inZone[v.zone]--
	}
	v.state = st
}

// nextReady is the earliest time a booting VM becomes ready, +Inf when none
// is booting; it drops cancelled boots from the front of the queue.
func (s *vmSet) nextReady() float64 {
	for s.bootHead < len(s.booting) {
		v := &s.vms[s.booting[s.bootHead]]
		if v.state == vmBooting {
			return v.ready
		}
		s.bootHead++
	}
	return math.Inf(1)
}

// popBooting takes the VM at the front of the boot queue (after nextReady
// has said there is one).
func (s *vmSet) popBooting() int32 {
	id := s.booting[s.bootHead]
	s.bootHead++
	if s.bootHead > 64 && 2*s.bootHead > len(s.booting) {
		k := copy(s.booting, s.booting[s.bootHead:])
		s.booting, s.bootHead = s.booting[:k], 0
	}
	return id
}

// sweep drops gone VMs and cancelled boots from the lists and frees their
// ids. Only the fleet knows when no idle slot or request refers to a gone
// VM any more, so it calls this, after the actions that stop VMs.
func (s *vmSet) sweep() {
	k := copy(s.booting, s.booting[s.bootHead:])
	s.booting = slices.DeleteFunc(s.booting[:k], func(id int32) bool { return s.vms[id].state != vmBooting })
	s.bootHead = 0
	s.live = slices.DeleteFunc(s.live, func(id int32) bool {
		if s.vms[id].state == vmGone {
			s.free = append(s.free, id)
			return true
		}
		return false
	})
}
