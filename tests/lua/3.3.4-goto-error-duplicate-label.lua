do
  ::a::
  ::a::
end

-- expect error: label 'a' already defined
