#!/bin/busybox sh
# PID 1 of the usbcdb test guest: mount the pseudo file systems, load the
# USB, SCSI and USB/IP modules, find the USB disk's sg and block nodes, run
# the commands in /cmds (one per line) with framed output, power off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp /run /mnt /var/run/vhci_hcd
echo USBCDB-INIT
while read -r mod args; do
  insmod "/lib/modules/$mod" $args 2>/dev/null || echo "insmod $mod failed"
done < /modules.order

# The USB disk: the sg node whose device path passes through a USB interface.
find_usb_disk() {
  for d in /sys/class/scsi_generic/sg*; do
    [ -e "$d" ] || continue
    case "$(readlink -f "$d/device")" in
      */usb*)
        SG=/dev/$(basename "$d")
        for b in "$d"/device/block/*; do [ -e "$b" ] && SD=/dev/$(basename "$b"); done
        return 0 ;;
    esac
  done
  return 1
}
# usbdisk VENDOR sg|sd [PATH]: the node of the USB disk whose INQUIRY vendor is VENDOR (and
# whose device path contains PATH, e.g. vhci_hcd for one imported over USB/IP).
cat > /bin/usbdisk <<'EOS'
#!/bin/sh
for d in /sys/class/scsi_generic/sg*; do
  p="$(readlink -f "$d/device")"
  case "$p" in */usb*) ;; *) continue ;; esac
  case "$p" in *"$3"*) ;; *) continue ;; esac
  [ "$(cat "$d/device/vendor" | tr -d ' ')" = "$1" ] || continue
  if [ "$2" = sd ]; then for b in "$d"/device/block/*; do echo /dev/$(basename "$b"); done
  else echo /dev/$(basename "$d"); fi
  exit 0
done
exit 1
EOS
chmod +x /bin/usbdisk
SG=
SD=
if [ -z "$USBCDB_NO_DISK" ]; then
  i=0
  while [ $i -lt 300 ]; do
    find_usb_disk && [ -n "$SD" ] && [ -e "$SD" ] && break
    sleep 0.1
    i=$((i + 1))
  done
fi
export SG SD
echo "USBCDB-READY sg=$SG sd=$SD"

n=0
while IFS= read -r line; do
  case "$line" in '' | '#'*) continue ;; esac
  n=$((n + 1))
  echo "=== CMD $n: $line"
  sh -c "$line" 2>&1
  echo "=== END $n rc=$?"
done < /cmds
echo USBCDB-DONE
poweroff -f
