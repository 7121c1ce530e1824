//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// errDatabaseInUse means a running server holds the SQLite database's lock.
var errDatabaseInUse = errors.New("a running tafel server is using this database")

// lockDatabase takes the lock that says a server is using the SQLite file at path
// (the file path + ".lock", held while the process lives; the kernel drops it when
// the process ends, so it is never stale).
func lockDatabase(path string) (release func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s.lock is held)", errDatabaseInUse, path)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
