// Command indexbench measures Helm's own index handling for comparison with helmsync:
// repo.LoadIndexFile followed by IndexFile.Get(name, constraint), as `helm pull` and Flux
// resolve a chart version. It prints one line: the resolved version, the elapsed seconds and
// the process's peak resident memory (VmHWM, KiB).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	repo "helm.sh/helm/v4/pkg/repo/v1"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: indexbench INDEX_FILE CHART CONSTRAINT")
		os.Exit(2)
	}
	start := time.Now()
	index, err := repo.LoadIndexFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	version, err := index.Get(os.Args[2], os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	elapsed := time.Since(start)
	fmt.Printf("version=%s seconds=%.6f vmhwm_kib=%d\n", version.Version, elapsed.Seconds(), peakRSS())
}

// peakRSS reads VmHWM from /proc/self/status, in KiB.
func peakRSS() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kib int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kib)
			return kib
		}
	}
	return -1
}
