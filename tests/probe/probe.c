/* Reports, as one JSON object on stdout, what a process sees from inside a
 * container. Filled in by the runtime tests. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("{\"pid\":%d,\"uid\":%d}\n", (int)getpid(), (int)getuid());
  return 0;
}
