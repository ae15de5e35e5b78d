#!/bin/sh
echo "hello <world> & 'friends'"
  indented line
last line without newline
trailing