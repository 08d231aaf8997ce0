print(config.value)

-- expect error: attempt to index a nil value (global 'config')
