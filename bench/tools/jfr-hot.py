#!/usr/bin/env python3
# Top frames, threads and inclusive shares of jdk.ExecutionSample in JFR files (e.g. bench/capacity-webhook.sh -Dbench.jfr=target/wh).
"""Aggregates jdk.ExecutionSample events of JFR files: top self frames, and inclusive counts of frames matching a filter.
Usage: hot.py FILE.jfr... [--incl SUBSTR ...]"""
import subprocess, sys, re, collections
files=[a for a in sys.argv[1:] if a.endswith('.jfr')]
incl=sys.argv[sys.argv.index('--incl')+1:] if '--incl' in sys.argv else []
selfc=collections.Counter(); inc=collections.Counter(); threads=collections.Counter(); total=0
for f in files:
    out=subprocess.run(['jfr','print','--events','jdk.ExecutionSample','--stack-depth','200',f],capture_output=True,text=True).stdout
    for ev in out.split('jdk.ExecutionSample')[1:]:
        m=re.search(r'sampledThread = "([^"]*)"',ev)
        th=re.sub(r'\d+','N',m.group(1)) if m else '?'
        frames=re.findall(r'^\s+([\w$.<>/]+\([^)]*\))\s+line:',ev,re.M)
        if not frames: continue
        total+=1; threads[th]+=1
        selfc[frames[0]]+=1
        seen=set()
        for fr in frames:
            name=fr.split('(')[0]
            for s in incl:
                if s in name and s not in seen:
                    seen.add(s); inc[s]+=1
print('samples',total)
print('-- threads'); [print(f'{c:6d} {100*c/total:5.1f}% {t}') for t,c in threads.most_common(15)]
print('-- self'); [print(f'{c:6d} {100*c/total:5.1f}% {t}') for t,c in selfc.most_common(40)]
print('-- inclusive'); [print(f'{inc[s]:6d} {100*inc[s]/total:5.1f}% {s}') for s in incl]
