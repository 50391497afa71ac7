package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	gossh "golang.org/x/crypto/ssh"
)

// maxKeyFileBytes bounds what is read of a key file: an ed25519 key is a
// few hundred bytes, a long authorized_keys file some kilobytes.
const maxKeyFileBytes = 1 << 20

// loadOrCreateHostKey reads the host key at path, or makes one there the
// first time (ed25519, mode 0600) so that students see the same
// fingerprint every time the server starts. A key that others may read
// is refused, as OpenSSH refuses one: anyone who can read it can pose as
// the server.
func loadOrCreateHostKey(path string) (signer gossh.Signer, created bool, err error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := createHostKey(path); err != nil {
			return nil, false, fmt.Errorf("host key %s: cannot create it: %w", path, err)
		}
		created = true
	case err != nil:
		return nil, false, fmt.Errorf("host key %s: %w", path, pathErr(err))
	case !info.Mode().IsRegular():
		return nil, false, fmt.Errorf("host key %s: not a regular file", path)
	case runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0:
		return nil, false, fmt.Errorf("host key %s: mode %04o lets others read it; run: chmod 600 %s", path, info.Mode().Perm(), path)
	}
	data, err := readSmall(path)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: not a private key OpenSSH can read (%v)", path, err)
	}
	return signer, created, nil
}

// createHostKey writes a new ed25519 key to path, mode 0600, and its
// public half to path.pub for ssh-keygen -lf. It never replaces a file:
// two servers starting at once both end up with the one key written first.
func createHostKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "serverless-tour host key")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(pem.EncodeToMemory(block)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// Link, not rename: it fails if another process made the key first.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	sshPub, err := gossh.NewPublicKey(pub)
	if err != nil {
		return err
	}
	// The public half is a convenience; the server never reads it.
	_ = os.WriteFile(path+".pub", gossh.MarshalAuthorizedKey(sshPub), 0o644)
	return nil
}

// readSmall reads a regular file of at most maxKeyFileBytes.
func readSmall(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, pathErr(err)
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > maxKeyFileBytes {
		return nil, fmt.Errorf("larger than %d KiB", maxKeyFileBytes>>10)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pathErr(err)
	}
	return data, nil
}

// pathErr is an error without the path a *fs.PathError repeats.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadAuthorizedKeys reads a file in OpenSSH's authorized_keys format:
// one key a line, blank lines and # comments skipped. A line that is not
// a key is an error naming file:line.
func ReadAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	data, err := readSmall(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var keys []gossh.PublicKey
	for i, l := range bytes.Split(data, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey(l)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a public key (%v); a line looks like: ssh-ed25519 AAAA… name", path, i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no keys in it", path)
	}
	return keys, nil
}
